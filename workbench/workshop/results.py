"""A workshop session's results: votes, the impact × effort board and "How might we…" statements.

The live workshop (``widgets/workshop/``, ``notebooks/apps/workshop.ipynb``) keeps what people
do in the store (:class:`workbench.storage.store.Store`: ``add_vote``, ``place``, ``add_statement`` …).
This module turns that into one ranked table per session and writes it as Markdown, HTML or
CSV for the facilitator to share. Plain pandas; no widget, no model.

The board uses the scale 1 (low) to 5 (high) for impact and effort. A pain point's place is
the group's consensus when the facilitator set one, else the mean of everyone's latest place.
Quadrants: impact above the midpoint (3) is high, effort above it is high:

* **quick win** — high impact, low effort
* **major project** — high impact, high effort
* **fill-in** — low impact, low effort
* **thankless task** — low impact, high effort

Example:
    >>> painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02", "other"],
    ...     "label": ["Refunds take weeks", "Hold loop", "Other"], "severity": [80.0, 60.0, 5.0]})
    >>> table = session_results(painpoints, {"PP02": 3, "PP01": 1},
    ...     [Placement("PP02", "Dana", impact=5, effort=2)], [])
    >>> table[["painpoint_id", "votes", "quadrant"]].values.tolist()
    [['PP02', 3, 'quick win'], ['PP01', 1, '']]
"""
from __future__ import annotations

import csv
import html
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.storage.files import atomic_write, escape_spreadsheet_row
from workbench.share.text import escape_markdown
from workbench.storage.store import HmwStatement, Placement, WorkshopSession
from workbench.workshop.starred import quote_citation, starred_by_painpoint

#: the middle of the 1–5 impact and effort scale; above it is "high"
BOARD_MIDPOINT = 3.0
QUADRANTS = ("quick win", "major project", "fill-in", "thankless task")
#: columns of :func:`session_results`, in order
RESULT_COLUMNS = (
    "place", "painpoint_id", "label", "votes", "severity", "impact", "effort", "placed_by", "quadrant",
    "statements", "statement_authors", "statement_rounds", "quote_ids",
)
#: columns of the CSV export: the results' columns and the round whose votes are counted
CSV_COLUMNS = (*RESULT_COLUMNS, "votes_round")
#: export formats by file suffix
EXPORT_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".csv": "csv"}


@dataclass(frozen=True)
class BoardPosition:
    """Where a pain point sits on the impact × effort board.

    Attributes:
        impact, effort: 1 (low) to 5 (high).
        n_people: how many people placed it (their latest place counts).
        consensus: the position is the group's consensus, not the mean of people.

    Example:
        >>> BoardPosition("PP01", 4.5, 1.5, 2, False).quadrant
        'quick win'
    """

    painpoint_id: str
    impact: float
    effort: float
    n_people: int
    consensus: bool

    @property
    def quadrant(self) -> str:
        """The board quadrant: quick win, major project, fill-in or thankless task."""
        return quadrant(self.impact, self.effort)


def quadrant(impact: float, effort: float) -> str:
    """The quadrant of a place on the 1–5 impact × effort board (the midpoint 3 counts as low).

    Example:
        >>> quadrant(5, 1), quadrant(5, 5), quadrant(2, 2), quadrant(1, 4)
        ('quick win', 'major project', 'fill-in', 'thankless task')
    """
    high_impact = float(impact) > BOARD_MIDPOINT
    high_effort = float(effort) > BOARD_MIDPOINT
    if high_impact:
        return "major project" if high_effort else "quick win"
    return "thankless task" if high_effort else "fill-in"


def board_positions(placements: Iterable[Placement]) -> dict[str, BoardPosition]:
    """Each pain point's place on the board: the consensus when set, else the mean of people's places.

    Example:
        >>> positions = board_positions([Placement("PP01", "Dana", 4, 2), Placement("PP01", "Lee", 2, 2),
        ...                              Placement("PP02", "Dana", 1, 5), Placement("PP02", None, 5, 1)])
        >>> positions["PP01"].impact, positions["PP01"].n_people, positions["PP02"].quadrant
        (3.0, 2, 'quick win')
    """
    people: dict[str, list[Placement]] = {}
    consensus: dict[str, Placement] = {}
    for placement in placements:
        if placement.voter is None:
            consensus[placement.painpoint_id] = placement
        else:
            people.setdefault(placement.painpoint_id, []).append(placement)
    positions: dict[str, BoardPosition] = {}
    for painpoint_id in list(people) + [p for p in consensus if p not in people]:
        placed = people.get(painpoint_id, [])
        if painpoint_id in consensus:
            chosen = consensus[painpoint_id]
            positions[painpoint_id] = BoardPosition(painpoint_id, chosen.impact, chosen.effort, len(placed), True)
        else:
            positions[painpoint_id] = BoardPosition(
                painpoint_id,
                round(sum(p.impact for p in placed) / len(placed), 2),
                round(sum(p.effort for p in placed) / len(placed), 2),
                len(placed),
                False,
            )
    return positions


def session_results(
    painpoints: pd.DataFrame,
    vote_counts: Mapping[str, int],
    placements: Iterable[Placement],
    statements: Iterable[HmwStatement],
) -> pd.DataFrame:
    """One row per pain point, ranked by votes (then severity): what the workshop decided.

    Columns: ``place`` (1 = most votes), ``painpoint_id``, ``label``, ``votes``, ``severity``,
    ``impact``, ``effort`` (NaN when nobody placed it), ``placed_by`` ("consensus", "3 people"
    or ""), ``quadrant`` ("" when not placed), ``statements`` (the "How might we…"
    statements, oldest first, as a list of "text (author)"), and per statement its
    ``statement_authors``, ``statement_rounds`` (None when not recorded) and the ``quote_ids``
    it cites (a list of lists). The Other bucket is left out.

    Example:
        >>> painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02"], "label": ["Refunds", "Hold loop"],
        ...                            "severity": [80.0, 60.0]})
        >>> hmw = [HmwStatement(1, "PP01", "Dana", "How might we refund in a day?")]
        >>> row = session_results(painpoints, {}, [], hmw).iloc[0]
        >>> row["painpoint_id"], int(row["votes"]), row["statements"]
        ('PP01', 0, ['How might we refund in a day? (Dana)'])
    """
    if "painpoint_id" not in painpoints.columns or "label" not in painpoints.columns:
        raise WorkbenchError("the pain points table lacks painpoint_id/label; run `workbench analyze STUDY` again")
    table = painpoints[painpoints["painpoint_id"].astype(str).str.lower() != "other"]
    if "kind" in table.columns:
        table = table[table["kind"].astype(str) != "other"]
    positions = board_positions(placements)
    notes: dict[str, list[HmwStatement]] = {}
    for statement in statements:
        notes.setdefault(statement.painpoint_id, []).append(statement)
    rows = []
    for row in table.to_dict("records"):
        painpoint_id = str(row["painpoint_id"])
        position = positions.get(painpoint_id)
        severity = row.get("severity")
        rows.append({
            "painpoint_id": painpoint_id,
            "label": str(row["label"]),
            "votes": int(vote_counts.get(painpoint_id, 0)),
            "severity": float(severity) if severity is not None and not pd.isna(severity) else float("nan"),
            "impact": position.impact if position else float("nan"),
            "effort": position.effort if position else float("nan"),
            "placed_by": ("consensus" if position.consensus else _people(position.n_people)) if position else "",
            "quadrant": position.quadrant if position else "",
            "statements": [f"{n.text} ({n.author})" for n in notes.get(painpoint_id, [])],
            "statement_authors": [n.author for n in notes.get(painpoint_id, [])],
            "statement_rounds": [n.round for n in notes.get(painpoint_id, [])],
            "quote_ids": [list(n.quote_ids) for n in notes.get(painpoint_id, [])],
        })
    result = pd.DataFrame(rows, columns=[c for c in RESULT_COLUMNS if c != "place"])
    if result.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
    result["_severity"] = result["severity"].fillna(-1.0)
    result = result.sort_values(["votes", "_severity", "painpoint_id"], ascending=[False, False, True], kind="stable")
    result = result.drop(columns="_severity").reset_index(drop=True)
    result.insert(0, "place", range(1, len(result) + 1))
    return result


def statement_lines(row: Mapping[str, Any]) -> list[str]:
    """One line per statement of a results row: "text (author) · round 1 · quotes a-1, b-2".

    Example:
        >>> statement_lines({"statements": ["How might we? (Dana)"], "statement_rounds": [2], "quote_ids": [["a-1"]]})
        ['How might we? (Dana) · round 2 · quotes a-1']
    """
    rounds = list(row.get("statement_rounds") or [])
    quotes = list(row.get("quote_ids") or [])
    lines = []
    for i, text in enumerate(row.get("statements") or []):
        parts = [str(text)]
        if i < len(rounds) and rounds[i] is not None and not pd.isna(rounds[i]):
            parts.append(f"round {int(rounds[i])}")
        if i < len(quotes) and len(quotes[i]):
            parts.append("quotes " + ", ".join(str(q) for q in quotes[i]))
        lines.append(" · ".join(parts))
    return lines


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):g}"


def _facts(session: WorkshopSession, study: str, people: Sequence[str]) -> list[str]:
    facts = [f"round {session.round}", f"{session.dots_per_person} dots per person",
             "voting locked" if session.locked else "voting open"]
    if study:
        facts.insert(0, f"study {study}")
    if people:
        facts.append(f"{len(people)} people: " + ", ".join(people))
    return facts


def results_markdown(table: pd.DataFrame, session: WorkshopSession, study: str = "", people: Sequence[str] = (),
                     starred: pd.DataFrame | None = None) -> str:
    """The session's results as Markdown (customer text made inert with ``escape_markdown``); with
    ``starred`` (:func:`workbench.workshop.starred.starred_quote_table`) the starred quotes are cited
    per pain point with their id, participant, source and stars.

    Example:
        >>> table = session_results(pd.DataFrame({"painpoint_id": ["PP01"], "label": ["Refunds | <b>"]}),
        ...                         {"PP01": 2}, [], [])
        >>> text = results_markdown(table, WorkshopSession("kick-off", True, 1, 5, 9), study="Skylark")
        >>> text.splitlines()[0]
        '# Workshop results: kick-off'
        >>> "| 1 | Refunds \\\\| &lt;b&gt; | 2 |" in text
        True
    """
    facts = _facts(session, study, people)
    lines = [f"# Workshop results: {escape_markdown(session.name)}", "",
             escape_markdown("; ".join(facts)) + ".", "",
             "| place | pain point | votes | impact | effort | quadrant | id |", "|---:|---|---:|---:|---:|---|---|"]
    for row in table.to_dict("records"):
        lines.append(
            f"| {row['place']} | {escape_markdown(row['label'])} | {row['votes']} | {_number(row['impact'])} | "
            f"{_number(row['effort'])} | {row['quadrant']} | {escape_markdown(row['painpoint_id'])} |"
        )
    with_statements = [row for row in table.to_dict("records") if row["statements"]]
    if with_statements:
        lines += ["", "## How might we…", ""]
        for row in with_statements:
            lines += [f"**{escape_markdown(row['label'])}** ({escape_markdown(row['painpoint_id'])})", ""]
            lines += [f"- {escape_markdown(text)}" for text in statement_lines(row)]
            lines.append("")
    stars = starred_by_painpoint(starred)
    if stars:
        labels = dict(zip(table["painpoint_id"].astype(str), table["label"].astype(str))) if not table.empty else {}
        lines += ["", "## Starred quotes", ""]
        for painpoint_id, quotes in stars.items():
            lines += [f"**{escape_markdown(labels.get(painpoint_id, painpoint_id))}** ({escape_markdown(painpoint_id)})", ""]
            lines += [f"- {escape_markdown(quote_citation(q))}: “{escape_markdown(str(q.get('text') or ''))}”" for q in quotes]
            lines.append("")
    lines += ["", f"_Exported {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by CX Workbench._", ""]
    return "\n".join(lines)


def results_html(table: pd.DataFrame, session: WorkshopSession, study: str = "", people: Sequence[str] = (),
                 starred: pd.DataFrame | None = None) -> str:
    """The session's results as one self-contained HTML page (no script; every text escaped), with the
    starred quotes cited when ``starred`` is given.

    Example:
        >>> table = session_results(pd.DataFrame({"painpoint_id": ["PP01"], "label": ["<script>x</script>"]}),
        ...                         {}, [], [])
        >>> page = results_html(table, WorkshopSession("kick-off", False, 1, 5, 0))
        >>> "<script>" in page, "&lt;script&gt;x&lt;/script&gt;" in page
        (False, True)
    """
    esc = html.escape
    stars = starred_by_painpoint(starred)
    labels = dict(zip(table["painpoint_id"].astype(str), table["label"].astype(str))) if not table.empty else {}
    starred_html = "".join(
        f"<h3>{esc(labels.get(pid, pid))} <small>{esc(pid)}</small></h3><ul>"
        + "".join(f"<li><code>{esc(quote_citation(q))}</code>: “{esc(str(q.get('text') or ''))}”</li>" for q in quotes)
        + "</ul>" for pid, quotes in stars.items())
    body_rows = []
    for row in table.to_dict("records"):
        statements = "".join(f"<li>{esc(text)}</li>" for text in statement_lines(row))
        body_rows.append(
            f"<tr><td>{row['place']}</td><td>{esc(row['label'])}<br><small>{esc(row['painpoint_id'])}</small></td>"
            f"<td>{row['votes']}</td>"
            f"<td>{_number(row['impact'])}</td><td>{_number(row['effort'])}</td><td>{esc(row['quadrant'])}</td>"
            f"<td><ul>{statements}</ul></td></tr>"
        )
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Workshop results: {esc(session.name)}</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#1f2937}"
        "table{border-collapse:collapse}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:left;"
        "vertical-align:top}ul{margin:0;padding-left:1.2em}</style></head><body>"
        f"<h1>Workshop results: {esc(session.name)}</h1><p>{esc('; '.join(_facts(session, study, people)))}.</p>"
        "<table><thead><tr><th>place</th><th>pain point</th><th>votes</th><th>impact</th><th>effort</th>"
        "<th>quadrant</th><th>How might we…</th></tr></thead><tbody>"
        + "".join(body_rows)
        + "</tbody></table>"
        + (f"<h2>Starred quotes</h2>{starred_html}" if starred_html else "")
        + f"<p><small>Exported {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by CX Workbench."
        "</small></p></body></html>\n"
    )


def results_csv(table: pd.DataFrame, session: WorkshopSession | None = None, starred: pd.DataFrame | None = None) -> str:
    """The session's results as CSV (statements, their authors, rounds and cited quote ids joined
    by " | ", a statement's several quote ids by " "; ``votes_round``: the round whose votes are
    counted, from ``session``; with ``starred``, a last column ``starred_quotes``: each starred
    quote's citation, "id · participant · source, turn · ★n", joined by " | "); cells that a spreadsheet would
    run as a formula (starting with ``= + - @``, a tab or a carriage return) are prefixed with an
    apostrophe (:func:`workbench.storage.files.escape_spreadsheet_cell`).

    Example:
        >>> table = session_results(pd.DataFrame({"painpoint_id": ["PP01"], "label": ["=HYPERLINK(x)"]}), {}, [], [])
        >>> results_csv(table).splitlines()[1]
        "1,PP01,'=HYPERLINK(x),0,,,,,,,,,,"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = CSV_COLUMNS if starred is None else (*CSV_COLUMNS, "starred_quotes")
    stars = starred_by_painpoint(starred)
    writer.writerow(columns)
    for row in table.to_dict("records"):
        values = []
        for column in columns:
            value = row.get(column, "")
            if column == "starred_quotes":
                value = " | ".join(quote_citation(q) for q in stars.get(str(row["painpoint_id"]), []))
            elif column == "votes_round":
                value = "" if session is None else session.round
            elif column == "quote_ids":
                value = " | ".join(" ".join(str(q) for q in ids) for ids in value)
            elif column == "statement_rounds":
                value = " | ".join("" if r is None or pd.isna(r) else str(int(r)) for r in value)
            elif column in ("statements", "statement_authors"):
                value = " | ".join(str(v) for v in value)
            elif isinstance(value, float):
                value = _number(value)
            values.append(str(value))
        writer.writerow(escape_spreadsheet_row(values))
    return buffer.getvalue()


def render_results(table: pd.DataFrame, session: WorkshopSession, fmt: str, study: str = "",
                   people: Sequence[str] = (), starred: pd.DataFrame | None = None) -> str:
    """The results in ``fmt`` ("markdown", "html" or "csv"), citing the ``starred`` quotes when given.

    Example:
        >>> table = session_results(pd.DataFrame({"painpoint_id": ["PP01"], "label": ["Refunds"]}), {}, [], [])
        >>> render_results(table, WorkshopSession("s", False, 1, 5, 0), "csv").splitlines()[0]
        'place,painpoint_id,label,votes,severity,impact,effort,placed_by,quadrant,statements,statement_authors,statement_rounds,quote_ids,votes_round'
    """
    if fmt == "markdown":
        return results_markdown(table, session, study, people, starred)
    if fmt == "html":
        return results_html(table, session, study, people, starred)
    if fmt == "csv":
        return results_csv(table, session, starred)
    raise WorkbenchError(f"unknown export format {fmt!r}; use markdown, html or csv")


def write_results(path: Path | str, table: pd.DataFrame, session: WorkshopSession, study: str = "",
                  people: Sequence[str] = (), starred: pd.DataFrame | None = None) -> Path:
    """Write the results to ``path`` (format from its suffix: .md, .html, .csv), atomically.

    Example:
        >>> import tempfile
        >>> table = session_results(pd.DataFrame({"painpoint_id": ["PP01"], "label": ["Refunds"]}), {}, [], [])
        >>> out = write_results(Path(tempfile.mkdtemp()) / "kick-off.md", table, WorkshopSession("s", False, 1, 5, 0))
        >>> out.read_text().startswith("# Workshop results")
        True
    """
    target = Path(path)
    fmt = EXPORT_FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise WorkbenchError(f"{target}: cannot tell the format from the suffix; use .md, .html or .csv")
    text = render_results(table, session, fmt, study, people, starred)
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), mode=0o644)


def load_session_results(store: Any, session: str, painpoints: pd.DataFrame) -> pd.DataFrame:
    """:func:`session_results` read from a store (votes of the current round).

    Example:
        >>> import tempfile
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> _ = store.add_vote("kick-off", "PP02", "Dana")
        >>> painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02"], "label": ["Refunds", "Hold loop"]})
        >>> load_session_results(store, "kick-off", painpoints)["painpoint_id"].tolist()
        ['PP02', 'PP01']
    """
    return session_results(painpoints, store.vote_counts(session), store.placements(session), store.statements(session))

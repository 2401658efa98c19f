"""Code tables: where codes meet each other, personas and customer segments, and their heatmaps.

The tables are tidy DataFrames built from code assignments
(:func:`workbench.coding.records.code_assignments`): :func:`code_cooccurrence` (code x code),
:func:`code_by_persona` and :func:`code_by_segment` (code x persona / participant segment, both
through :func:`code_crosstab`), each drawn with a plotly heatmap (:func:`heatmap_figure`).

Example:
    >>> table = pd.DataFrame({"coder": ["a", "a"], "passage_id": ["p1", "p1"], "code_id": ["fees", "app"]})
    >>> int(code_cooccurrence(table).loc["app", "fees"])
    1
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.coding.coding_data import as_list
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go


def code_cooccurrence(assignments: pd.DataFrame, codebook: Codebook | None = None, coder: str | None = None) -> pd.DataFrame:
    """Code x code: in how many passages both codes are in force (the diagonal: passages with the code).

    A passage has a code when any coder applied it (or ``coder`` did). Rows and columns are
    named after the codes (codebook order when a codebook is given).

    Example:
        >>> table = pd.DataFrame({"coder": ["a"] * 4, "passage_id": ["p1", "p1", "p2", "p3"],
        ...                       "code_id": ["fees", "app", "fees", "app"]})
        >>> code_cooccurrence(table)
              app  fees
        app     2     1
        fees    1     2
    """
    applied = _applied(assignments, coder)
    codes = _code_order(applied["code_id"], codebook)
    indicator = pd.crosstab(applied["passage_id"], applied["code_id"]).clip(upper=1).reindex(columns=codes, fill_value=0)
    matrix = indicator.T.dot(indicator)
    names = _display_names(codes, codebook)
    matrix.index, matrix.columns = names, names
    return matrix.rename_axis(index=None, columns=None).astype(int)


def code_by_persona(
    assignments: pd.DataFrame, passages: pd.DataFrame, personas: pd.DataFrame, codebook: Codebook | None = None,
    count: str = "participants", coder: str | None = None,
) -> pd.DataFrame:
    """Code x persona: how many members of each persona (or their passages) carry each code.

    Example:
        >>> assignments = pd.DataFrame({"coder": ["a", "a"], "passage_id": ["p1", "p2"], "code_id": ["fees", "fees"]})
        >>> passages = pd.DataFrame({"passage_id": ["p1", "p2"], "participant_id": ["P01", "P02"]})
        >>> personas = pd.DataFrame({"persona_id": ["PE1", "PE2"], "name": ["Road warrior", "Student"],
        ...                          "members": [["P01"], ["P02", "P03"]]})
        >>> code_by_persona(assignments, passages, personas)
              Road warrior  Student
        fees             1        1
    """
    groups = {}
    for row in personas.itertuples():
        label = str(getattr(row, "name", None) or row.persona_id)
        for member in as_list(row.members):
            groups[str(member)] = label
    order = [str(getattr(r, "name", None) or r.persona_id) for r in personas.itertuples()]
    return code_crosstab(assignments, passages, pd.Series(groups, dtype=object), codebook, count, coder, order)


def code_by_segment(
    assignments: pd.DataFrame, passages: pd.DataFrame, participants: pd.DataFrame, attribute: str = "segment",
    codebook: Codebook | None = None, count: str = "participants", coder: str | None = None,
) -> pd.DataFrame:
    """Code x participant attribute (customer ``segment`` by default, or ``loyalty_tier``, ``region``…).

    Example:
        >>> assignments = pd.DataFrame({"coder": ["a"] * 3, "passage_id": ["p1", "p2", "p3"], "code_id": ["fees"] * 3})
        >>> passages = pd.DataFrame({"passage_id": ["p1", "p2", "p3"], "participant_id": ["P01", "P01", "P02"]})
        >>> participants = pd.DataFrame({"participant_id": ["P01", "P02"], "segment": ["business", "student"]})
        >>> code_by_segment(assignments, passages, participants, count="passages")
              business  student
        fees         2        1
    """
    if attribute not in participants.columns:
        raise WorkbenchError(
            f"participants.parquet: no column {attribute!r}; use one of {', '.join(map(str, participants.columns))}"
        )
    groups = participants.dropna(subset=[attribute]).set_index("participant_id")[attribute].astype(str)
    return code_crosstab(assignments, passages, groups, codebook, count, coder)


def code_crosstab(
    assignments: pd.DataFrame, passages: pd.DataFrame, groups: pd.Series, codebook: Codebook | None = None,
    count: str = "participants", coder: str | None = None, group_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Code x group, where ``groups`` maps participant_id -> group; counts participants or passages.

    Passages without a participant (feedback items) are left out.

    Example:
        >>> assignments = pd.DataFrame({"coder": ["a"], "passage_id": ["p1"], "code_id": ["fees"]})
        >>> passages = pd.DataFrame({"passage_id": ["p1"], "participant_id": ["P01"]})
        >>> code_crosstab(assignments, passages, pd.Series({"P01": "Gold"}))
              Gold
        fees     1
    """
    if count not in ("participants", "passages"):
        raise WorkbenchError(f"count={count!r}: use 'participants' or 'passages'")
    applied = _applied(assignments, coder)
    owners = passages.set_index("passage_id")["participant_id"]
    frame = applied.assign(participant_id=applied["passage_id"].map(owners))
    frame = frame.dropna(subset=["participant_id"])
    frame = frame.assign(group=frame["participant_id"].astype(str).map(groups)).dropna(subset=["group"])
    unit = "participant_id" if count == "participants" else "passage_id"
    frame = frame.drop_duplicates(subset=["code_id", "group", unit])
    table = pd.crosstab(frame["code_id"], frame["group"]) if not frame.empty else pd.DataFrame()
    codes = _code_order(applied["code_id"], codebook)
    columns = list(group_order) if group_order is not None else sorted(set(groups.astype(str)))
    table = table.reindex(index=codes, columns=columns, fill_value=0).fillna(0).astype(int)
    table.index = _display_names(codes, codebook)
    return table.rename_axis(index=None, columns=None)


def heatmap_figure(table: pd.DataFrame, title: str, colorscale: str = "Blues") -> go.Figure:
    """A plotly heatmap of a code table (co-occurrence or cross-tab), counts written in the cells.

    Example:
        >>> figure = heatmap_figure(pd.DataFrame({"Student": [2]}, index=["fees"]), "Codes by segment")
        >>> figure.layout.title.text, figure.data[0].type
        ('Codes by segment', 'heatmap')
    """
    import plotly.graph_objects as go

    figure = go.Figure(go.Heatmap(
        z=table.values, x=[str(c) for c in table.columns], y=[str(i) for i in table.index], colorscale=colorscale,
        text=table.values, texttemplate="%{text}", hovertemplate="%{y} × %{x}: %{z}<extra></extra>",
    ))
    figure.update_layout(title=title, yaxis={"autorange": "reversed"}, height=max(320, 28 * len(table) + 160),
                         margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return figure


def _applied(assignments: pd.DataFrame, coder: str | None) -> pd.DataFrame:
    missing = {"passage_id", "code_id"} - set(assignments.columns)
    if missing:
        raise WorkbenchError(f"code assignments lack {', '.join(sorted(missing))}; pass code_assignments(store, study)")
    frame = assignments.dropna(subset=["code_id"])
    if coder is not None:
        frame = frame[frame["coder"] == coder]
    return frame.drop_duplicates(subset=["passage_id", "code_id"])[["passage_id", "code_id"]]


def _code_order(code_ids: Iterable[str], codebook: Codebook | None) -> list[str]:
    present = set(code_ids)
    if codebook is None:
        return sorted(present)
    ordered = [c.code_id for _, c in codebook.walk() if c.code_id in present]
    return ordered + sorted(present - set(ordered))


def _display_names(code_ids: Sequence[str], codebook: Codebook | None) -> list[str]:
    if codebook is None:
        return list(code_ids)
    names = codebook.names()
    return [names.get(c, c) for c in code_ids]

"""The journey map: where in the customer journey, and at which touchpoint, it hurts.

Everything here is computed from the *analysis units* (passages) with their pain point,
sentiment, moment, touchpoint and journey stage (see :func:`analysis_units`):

* :func:`journey_matrix` — one row per (stage, touchpoint) cell; every unit counts in exactly
  one cell (a unit without a stage or touchpoint goes to ``"unknown"``), so the cells add up
  to the units analysed.
* :func:`stage_effectiveness` — one score 0–100 per stage (formula in its docstring).
* :func:`emotion_curve` — mean sentiment per persona × stage (the "emotional journey").
* :func:`journey_heatmap_figure`, :func:`emotion_curve_figure` — plotly figures of both
  (plotly is imported inside them; the figures need no network: whoever writes them to HTML
  inlines plotly.js).

Stages are listed in journey order: the order of the stage lens of :mod:`workbench.analysis.lenses`
(awareness → consideration → purchase/booking → use → delivery/fulfilment → support →
loyalty and advocacy); a stage a study adds in ``study.toml`` follows, alphabetically, and
``"unknown"`` comes last.

Example:
    >>> units = pd.DataFrame({"passage_id": ["a-1", "b-1", "c-1"], "segment_id": ["a", "b", "c"],
    ...     "participant_id": ["P01", "P02", None], "sentiment": [-0.7, 0.6, -0.4],
    ...     "moment": ["pain", "delight", "pain"], "touchpoint": ["mobile app", "mobile app", None],
    ...     "stage": ["purchase/booking", "use", "support"]})
    >>> assignments = pd.DataFrame({"passage_id": ["a-1", "b-1", "c-1"], "painpoint_id": ["PP01", "PP02", "PP01"]})
    >>> matrix = journey_matrix(units, assignments)
    >>> matrix[["stage", "touchpoint", "n_units"]].values.tolist()
    [['purchase/booking', 'mobile app', 1], ['use', 'mobile app', 1], ['support', 'unknown', 1]]
    >>> int(matrix["n_units"].sum()) == len(units)
    True
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.lenses import STAGE_LABELS, TOUCHPOINT_LABELS
from workbench.schema import is_missing as _missing

#: the journey stages in journey order (the default stage lens of workbench.analysis.lenses)
STAGE_ORDER: tuple[str, ...] = tuple(STAGE_LABELS)
#: the default touchpoints in the order the journey map lists them
TOUCHPOINT_ORDER: tuple[str, ...] = tuple(TOUCHPOINT_LABELS)
#: where a unit without a stage or touchpoint is counted
UNKNOWN = "unknown"
#: the pain-point id of units that belong to no pain point
OTHER = "other"

#: columns of the journey table, in order
JOURNEY_COLUMNS: tuple[str, ...] = (
    "stage", "touchpoint", "n_segments", "n_units", "n_participants", "n_feedback_units",
    "sentiment_mean", "pain_share", "top_painpoint", "top_painpoint_label",
)

#: how much a stage's pain share pulls its effectiveness down (see stage_effectiveness)
PAIN_PENALTY = 0.5


def _clean_label(values: pd.Series) -> pd.Series:
    """Labels as plain ``str`` with empty/NA values turned into ``"unknown"``."""
    return pd.Series(
        [UNKNOWN if _missing(v) or not str(v).strip() else str(v).strip() for v in values],
        index=values.index, dtype=object,
    )


def analysis_units(
    passages: pd.DataFrame,
    assignments: pd.DataFrame | None = None,
    painpoints: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One tidy row per analysis unit: who, which pain point, sentiment, moment, touchpoint, stage.

    ``passages`` and ``assignments`` are joined on ``passage_id``. Where both tables have
    ``sentiment``, ``moment``, ``touchpoint`` or ``stage``, the assignments win (they are what
    the pain-point step decided). Defaults fill what neither has: pain point ``"other"``,
    sentiment 0, moment ``"neutral"``, touchpoint and stage ``"unknown"``. When no unit-level
    stage exists at all, a unit takes the stage of its pain point from ``painpoints`` (if given).
    ``participant_id`` is ``None`` for feedback; ``painpoint_kind`` comes from ``painpoints``
    (``"pain"``, ``"delight"``… or ``None`` when unknown).

    Example:
        >>> passages = pd.DataFrame({"passage_id": ["s-1"], "segment_id": ["s"], "participant_id": [pd.NA],
        ...     "text": ["Refund took weeks"], "sentiment": [-0.5]})
        >>> assignments = pd.DataFrame({"passage_id": ["s-1"], "painpoint_id": ["PP01"], "moment": ["pain"]})
        >>> row = analysis_units(passages, assignments).iloc[0]
        >>> row["painpoint_id"], row["moment"], row["stage"], row["participant_id"] is None
        ('PP01', 'pain', 'unknown', True)
    """
    units = passages.copy().reset_index(drop=True)
    if "passage_id" not in units.columns:
        units["passage_id"] = [f"u{i}" for i in range(len(units))]
    if assignments is not None and len(assignments.columns):
        keep = [c for c in assignments.columns if c == "passage_id" or c not in ("segment_id",)]
        right = assignments[keep].drop_duplicates("passage_id")
        units = units.merge(right, on="passage_id", how="left", suffixes=("_passage", ""))
        for column in [c for c in right.columns if f"{c}_passage" in units.columns]:
            units[column] = units[column].astype(object).where(
                units[column].notna(), units[f"{column}_passage"].astype(object)
            )
            units = units.drop(columns=[f"{column}_passage"])
    if "segment_id" not in units.columns:
        units["segment_id"] = units["passage_id"]
    units["segment_id"] = units["segment_id"].astype(str)
    units["passage_id"] = units["passage_id"].astype(str)
    participant = units["participant_id"] if "participant_id" in units.columns else pd.Series(None, index=units.index)
    units["participant_id"] = pd.Series(
        [None if _missing(p) or not str(p).strip() else str(p) for p in participant], index=units.index, dtype=object
    )
    if "source_kind" not in units.columns:
        units["source_kind"] = ["interview" if p is not None else "feedback" for p in units["participant_id"]]
    units["source_kind"] = _clean_label(units["source_kind"])
    if "text" not in units.columns:
        units["text"] = ""
    units["text"] = ["" if _missing(t) else str(t) for t in units["text"]]
    pp = units["painpoint_id"] if "painpoint_id" in units.columns else pd.Series(None, index=units.index)
    units["painpoint_id"] = pd.Series([OTHER if _missing(p) else str(p) for p in pp], index=units.index, dtype=object)
    labels = _painpoint_labels(units, painpoints)
    units["label"] = [labels.get(p, "Other" if p == OTHER else p) for p in units["painpoint_id"]]
    sentiment = units["sentiment"] if "sentiment" in units.columns else pd.Series(0.0, index=units.index)
    units["sentiment"] = pd.to_numeric(sentiment, errors="coerce").astype(float).fillna(0.0).clip(-1, 1)
    moment = units["moment"] if "moment" in units.columns else pd.Series(None, index=units.index)
    units["moment"] = [("neutral" if _missing(m) or not str(m).strip() else str(m)) for m in moment]
    touchpoint = units["touchpoint"] if "touchpoint" in units.columns else pd.Series(None, index=units.index)
    units["touchpoint"] = _clean_label(touchpoint)
    if "stage" in units.columns and units["stage"].notna().any():
        units["stage"] = _clean_label(units["stage"])
    else:
        by_painpoint = {}
        if painpoints is not None and "stage" in painpoints.columns:
            by_painpoint = {str(k): v for k, v in zip(painpoints["painpoint_id"], painpoints["stage"]) if not _missing(v)}
        units["stage"] = _clean_label(pd.Series([by_painpoint.get(p) for p in units["painpoint_id"]], index=units.index))
    kinds: dict[str, str] = {}
    if painpoints is not None and "kind" in painpoints.columns:
        kinds = {str(k): str(v) for k, v in zip(painpoints["painpoint_id"], painpoints["kind"]) if not _missing(v)}
    units["painpoint_kind"] = [kinds.get(p, OTHER if p == OTHER else None) for p in units["painpoint_id"]]
    return units


def _painpoint_labels(units: pd.DataFrame, painpoints: pd.DataFrame | None) -> dict[str, str]:
    labels: dict[str, str] = {}
    if "label" in units.columns:
        for pid, label in zip(units["painpoint_id"], units["label"]):
            if not _missing(label):
                labels.setdefault(str(pid), str(label))
    if painpoints is not None and {"painpoint_id", "label"} <= set(painpoints.columns):
        for pid, label in zip(painpoints["painpoint_id"], painpoints["label"]):
            if not _missing(label):
                labels[str(pid)] = str(label)
    return labels


def ordered_stages(stages: Iterable[str]) -> list[str]:
    """The given stages in journey order: known stages first, then others A–Z, ``unknown`` last.

    Example:
        >>> ordered_stages(["support", "unknown", "awareness", "trip planning", "use"])
        ['awareness', 'use', 'support', 'trip planning', 'unknown']
    """
    present = list(dict.fromkeys(str(s) for s in stages))
    known = [s for s in STAGE_ORDER if s in present]
    extra = sorted(s for s in present if s not in STAGE_ORDER and s != UNKNOWN)
    return known + extra + ([UNKNOWN] if UNKNOWN in present else [])


def ordered_touchpoints(touchpoints: Iterable[str]) -> list[str]:
    """The given touchpoints in map order: default touchpoints first, then others A–Z, ``unknown`` last.

    Example:
        >>> ordered_touchpoints(["unknown", "email", "chatbot", "website"])
        ['website', 'email', 'chatbot', 'unknown']
    """
    present = list(dict.fromkeys(str(t) for t in touchpoints))
    known = [t for t in TOUCHPOINT_ORDER if t in present]
    extra = sorted(t for t in present if t not in TOUCHPOINT_ORDER and t != UNKNOWN)
    return known + extra + ([UNKNOWN] if UNKNOWN in present else [])


def _top_painpoint(group: pd.DataFrame) -> str | None:
    """Most frequent pain point of a group of units; pain-kind pain points first, ``other`` never.

    Ties go to the smaller id, i.e. the more severe pain point (ids are ranked by severity).
    """
    candidates = group[group["painpoint_id"] != OTHER]
    painful = candidates[candidates["painpoint_kind"].isin(["pain", "mixed"])]
    if len(painful):
        candidates = painful
    if candidates.empty:
        return None
    counts = Counter(candidates["painpoint_id"])
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def journey_matrix(
    passages: pd.DataFrame,
    assignments: pd.DataFrame | None = None,
    painpoints: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The stage × touchpoint journey map: one row per cell that has at least one unit.

    Columns: ``stage``, ``touchpoint``, ``n_segments`` (distinct segments), ``n_units``,
    ``n_participants`` (distinct interviewees), ``n_feedback_units``, ``sentiment_mean``,
    ``pain_share`` (share of the cell's units that are pain moments), ``top_painpoint`` (the
    cell's most frequent pain point, counting pain/mixed pain points first and never
    ``other``; missing (NA) when the cell has none) and ``top_painpoint_label``.

    Every unit is in exactly one cell (no stage or touchpoint → ``"unknown"``), so
    ``n_units`` adds up to the number of units. Rows are sorted by stage in journey order,
    then touchpoint (see :func:`ordered_stages`, :func:`ordered_touchpoints`).

    Example:
        >>> units = pd.DataFrame({"passage_id": ["a-1", "a-2", "b-1"], "segment_id": ["a", "a", "b"],
        ...     "sentiment": [-0.6, -0.2, 0.5], "moment": ["pain", "neutral", "delight"],
        ...     "touchpoint": ["call centre"] * 3, "stage": ["support"] * 3,
        ...     "painpoint_id": ["PP02", "PP02", "PP05"], "label": ["Hold loop", "Hold loop", "Kind agent"]})
        >>> row = journey_matrix(units).iloc[0]
        >>> int(row["n_units"]), int(row["n_segments"]), row["top_painpoint"], round(float(row["pain_share"]), 2)
        (3, 2, 'PP02', 0.33)
    """
    units = analysis_units(passages, assignments, painpoints)
    if units.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in JOURNEY_COLUMNS})
    labels = dict(zip(units["painpoint_id"], units["label"]))
    rows = []
    for (stage, touchpoint), group in units.groupby(["stage", "touchpoint"], sort=False):
        top = _top_painpoint(group)
        rows.append({
            "stage": stage,
            "touchpoint": touchpoint,
            "n_segments": int(group["segment_id"].nunique()),
            "n_units": int(len(group)),
            "n_participants": int(group["participant_id"].dropna().nunique()),
            "n_feedback_units": int(group["participant_id"].isna().sum()),
            "sentiment_mean": float(group["sentiment"].mean()),
            "pain_share": float((group["moment"] == "pain").mean()),
            "top_painpoint": top,
            "top_painpoint_label": labels.get(top) if top is not None else None,
        })
    matrix = pd.DataFrame(rows, columns=list(JOURNEY_COLUMNS))
    stage_rank = {s: i for i, s in enumerate(ordered_stages(matrix["stage"]))}
    touch_rank = {t: i for i, t in enumerate(ordered_touchpoints(matrix["touchpoint"]))}
    matrix["_s"] = matrix["stage"].map(stage_rank)
    matrix["_t"] = matrix["touchpoint"].map(touch_rank)
    return matrix.sort_values(["_s", "_t"]).drop(columns=["_s", "_t"]).reset_index(drop=True)


def stage_effectiveness(matrix: pd.DataFrame, pain_penalty: float = PAIN_PENALTY) -> pd.DataFrame:
    """How well each journey stage works for customers, 0 (broken) to 100 (delightful).

    Per stage, from the journey matrix (cells weighted by their units):

    ``effectiveness = 50 × (1 + s) × (1 − pain_penalty × p)``

    where ``s`` is the stage's mean sentiment in [-1, 1] and ``p`` the share of its units that
    are pain moments. A neutral stage with no pain scores 50, an all-positive one 100; a stage
    where every unit is a pain moment loses half (``pain_penalty = 0.5``) of what its sentiment
    would give. The score is always in [0, 100]. Stages are returned in journey order, with
    ``n_units``, ``sentiment_mean``, ``pain_share`` and ``effectiveness`` (rounded to 0.1).

    Example:
        >>> matrix = pd.DataFrame({"stage": ["support", "use", "use"], "touchpoint": ["call centre", "mobile app", "website"],
        ...     "n_units": [4, 2, 2], "sentiment_mean": [-0.6, 0.5, 0.3], "pain_share": [1.0, 0.0, 0.0]})
        >>> stage_effectiveness(matrix)[["stage", "effectiveness"]].values.tolist()
        [['use', 70.0], ['support', 10.0]]
    """
    columns = ["stage", "n_units", "sentiment_mean", "pain_share", "effectiveness"]
    if matrix.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "stage" else float) for c in columns})
    rows = []
    for stage, group in matrix.groupby("stage", sort=False):
        weights = group["n_units"].astype(float).to_numpy()
        total = float(weights.sum())
        if total <= 0:
            continue
        sentiment = float(np.clip(np.average(group["sentiment_mean"].astype(float), weights=weights), -1, 1))
        pain = float(np.clip(np.average(group["pain_share"].astype(float), weights=weights), 0, 1))
        score = 50.0 * (1.0 + sentiment) * (1.0 - pain_penalty * pain)
        rows.append({"stage": stage, "n_units": int(total), "sentiment_mean": sentiment, "pain_share": pain,
                     "effectiveness": round(float(np.clip(score, 0, 100)), 1)})
    table = pd.DataFrame(rows, columns=columns)
    order = {s: i for i, s in enumerate(ordered_stages(table["stage"]))}
    return table.sort_values("stage", key=lambda s: s.map(order)).reset_index(drop=True)


def _persona_map(persona_labels: Any) -> dict[str, str]:
    """participant id → persona id from a mapping, a Series, or a personas table with ``members``."""
    if isinstance(persona_labels, pd.DataFrame):
        mapping: dict[str, str] = {}
        for persona_id, members in zip(persona_labels["persona_id"], persona_labels["members"]):
            for member in list(members):
                mapping[str(member)] = str(persona_id)
        return mapping
    if isinstance(persona_labels, pd.Series):
        return {str(k): str(v) for k, v in persona_labels.items() if not _missing(v)}
    if isinstance(persona_labels, Mapping):
        return {str(k): str(v) for k, v in persona_labels.items() if not _missing(v)}
    raise TypeError("persona_labels must be a mapping participant_id -> persona_id, a Series, or a personas table")


def emotion_curve(
    passages: pd.DataFrame,
    persona_labels: Mapping[str, str] | pd.Series | pd.DataFrame,
    assignments: pd.DataFrame | None = None,
    include_all: bool = False,
) -> pd.DataFrame:
    """Mean sentiment per persona × journey stage: the emotional ups and downs of each persona.

    Args:
        passages: the units (``participant_id``, ``sentiment``, ``stage``; or joined with
            ``assignments``).
        persona_labels: participant id → persona id (a dict or Series, e.g. ``PersonaModel``
            labels), or a personas table with ``persona_id`` and ``members``.
        assignments: optional; joined on ``passage_id`` (see :func:`analysis_units`).
        include_all: add a persona ``"all"`` with every interviewee's units.

    Returns:
        The full grid persona × stage (stages seen in the interviewees' units, in journey order,
        without ``"unknown"``), columns ``persona_id``, ``stage``, ``n_units``,
        ``sentiment_mean`` (NaN where a persona never spoke about a stage). Feedback units and
        interviewees outside every persona are left out.

    Example:
        >>> units = pd.DataFrame({"passage_id": ["1", "2", "3"], "participant_id": ["P01", "P01", "P02"],
        ...     "sentiment": [-0.4, 0.6, 0.2], "stage": ["purchase/booking", "use", "use"]})
        >>> emotion_curve(units, {"P01": "PE1", "P02": "PE2"}).values.tolist()
        [['PE1', 'purchase/booking', 1, -0.4], ['PE1', 'use', 1, 0.6], ['PE2', 'purchase/booking', 0, nan], ['PE2', 'use', 1, 0.2]]
    """
    mapping = _persona_map(persona_labels)
    units = analysis_units(passages, assignments)
    units = units[units["participant_id"].isin(list(mapping)) & (units["stage"] != UNKNOWN)].copy()
    units["persona_id"] = units["participant_id"].map(mapping)
    personas = sorted(set(mapping.values()), key=_persona_sort_key)
    if include_all:
        everyone = units.copy()
        everyone["persona_id"] = "all"
        units = pd.concat([units, everyone], ignore_index=True)
        personas = personas + ["all"]
    stages = ordered_stages(units["stage"])
    grouped = units.groupby(["persona_id", "stage"])["sentiment"].agg(["size", "mean"])
    rows = []
    for persona in personas:
        for stage in stages:
            if (persona, stage) in grouped.index:
                n, mean = grouped.loc[(persona, stage)]
                rows.append({"persona_id": persona, "stage": stage, "n_units": int(n), "sentiment_mean": float(mean)})
            else:
                rows.append({"persona_id": persona, "stage": stage, "n_units": 0, "sentiment_mean": float("nan")})
    return pd.DataFrame(rows, columns=["persona_id", "stage", "n_units", "sentiment_mean"])


def _persona_sort_key(persona_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in str(persona_id) if ch.isdigit())
    return (int(digits) if digits else 10**9, str(persona_id))


def journey_heatmap_figure(matrix: pd.DataFrame, value: str = "sentiment_mean", title: str | None = None) -> Any:
    """A plotly heatmap of the journey matrix: stages across, touchpoints down.

    Colour is ``value`` (mean sentiment by default, red = negative, green = positive; or
    ``"pain_share"``); each cell shows its unit count and hovers with its top pain point.
    Empty cells stay blank. The figure needs no network; write it with
    ``fig.to_html(include_plotlyjs=True)`` or inline ``plotly.offline.get_plotlyjs()``.

    Example:
        >>> matrix = pd.DataFrame({"stage": ["use", "support"], "touchpoint": ["mobile app", "call centre"],
        ...     "n_units": [3, 5], "sentiment_mean": [0.4, -0.6], "pain_share": [0.0, 0.8],
        ...     "top_painpoint": [None, "PP01"], "top_painpoint_label": [None, "Hold loop"]})
        >>> fig = journey_heatmap_figure(matrix)
        >>> list(fig.data[0].x), list(fig.data[0].y)
        (['use', 'support'], ['call centre', 'mobile app'])
    """
    import plotly.graph_objects as go

    stages = ordered_stages(matrix["stage"]) if len(matrix) else []
    touchpoints = ordered_touchpoints(matrix["touchpoint"]) if len(matrix) else []
    cells = {(r["stage"], r["touchpoint"]): r for r in matrix.to_dict("records")}
    z, text, hover = [], [], []
    for touchpoint in touchpoints:
        z_row, text_row, hover_row = [], [], []
        for stage in stages:
            cell = cells.get((stage, touchpoint))
            if cell is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append(f"{stage} · {touchpoint}<br>no units")
                continue
            z_row.append(float(cell[value]))
            text_row.append(str(int(cell["n_units"])))
            top = cell.get("top_painpoint")
            top_text = f"{top}: {cell.get('top_painpoint_label')}" if not _missing(top) else "none"
            hover_row.append(
                f"{stage} · {touchpoint}<br>{int(cell['n_units'])} units, sentiment {float(cell['sentiment_mean']):+.2f}, "
                f"pain {float(cell.get('pain_share', 0) or 0):.0%}<br>top pain point: {top_text}"
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    sentiment = value == "sentiment_mean"
    heatmap = go.Heatmap(
        z=z, x=stages, y=touchpoints, text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text",
        colorscale="RdYlGn" if sentiment else "Reds", zmin=-1 if sentiment else 0, zmax=1,
        zmid=0 if sentiment else None, colorbar={"title": "sentiment" if sentiment else value.replace("_", " ")},
    )
    figure = go.Figure(heatmap)
    figure.update_layout(
        title=title or "Journey map: mean sentiment by stage and touchpoint (numbers: units)",
        xaxis={"title": "journey stage", "side": "top"}, yaxis={"title": "touchpoint", "autorange": "reversed"},
        template="plotly_white",
    )
    return figure


def emotion_curve_figure(curve: pd.DataFrame, names: Mapping[str, str] | None = None, title: str | None = None) -> Any:
    """A plotly line chart of :func:`emotion_curve`: one line per persona across the stages.

    Args:
        curve: the emotion curve table.
        names: persona id → name for the legend (e.g. from the personas table).

    Example:
        >>> curve = pd.DataFrame({"persona_id": ["PE1", "PE1"], "stage": ["purchase/booking", "support"],
        ...     "n_units": [2, 3], "sentiment_mean": [0.2, -0.5]})
        >>> fig = emotion_curve_figure(curve, {"PE1": "The Busy Flyer"})
        >>> fig.data[0].name, list(fig.data[0].y)
        ('PE1 · The Busy Flyer', [0.2, -0.5])
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    stages = ordered_stages(curve["stage"]) if len(curve) else []
    for persona in sorted(curve["persona_id"].unique(), key=_persona_sort_key) if len(curve) else []:
        rows = curve[curve["persona_id"] == persona].set_index("stage").reindex(stages)
        label = f"{persona} · {names[persona]}" if names and persona in names else str(persona)
        figure.add_trace(go.Scatter(
            x=stages, y=[None if _missing(v) else float(v) for v in rows["sentiment_mean"]], name=label,
            mode="lines+markers", connectgaps=False,
            customdata=[0 if _missing(n) else int(n) for n in rows["n_units"]],
            hovertemplate="%{x}: sentiment %{y:+.2f} (%{customdata} units)<extra>" + label + "</extra>",
        ))
    figure.add_hline(y=0, line_dash="dot", line_color="grey")
    figure.update_layout(
        title=title or "Emotion curve: mean sentiment per persona along the journey",
        xaxis={"title": "journey stage", "categoryorder": "array", "categoryarray": stages},
        yaxis={"title": "mean sentiment", "range": [-1, 1]}, template="plotly_white",
    )
    return figure


def stage_counts(units: pd.DataFrame, stages: Sequence[str] | None = None) -> pd.Series:
    """Units per stage in journey order (a quick check of the stage lens).

    Example:
        >>> stage_counts(pd.DataFrame({"stage": ["use", "awareness", "use", None]})).to_dict()
        {'awareness': 1, 'use': 2, 'unknown': 1}
    """
    labels = _clean_label(units["stage"]) if "stage" in units.columns else pd.Series(UNKNOWN, index=units.index)
    order = list(stages) if stages is not None else ordered_stages(labels)
    return labels.value_counts().reindex(order, fill_value=0).astype(int)

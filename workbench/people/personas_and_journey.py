"""The people step of ``workbench analyze``: personas and the journey map from a saved results folder.

:func:`build_personas_and_journey` reads the tables ``workbench analyze`` saved, builds the
profiles, fits the :class:`workbench.people.personas.PersonaModel`, places the feedback and
computes the journey map, stage effectiveness and emotion curve; the report calls it too when
older results lack the personas or the journey.

Example:
    >>> personas, journey, info = build_personas_and_journey("interview_data/.workbench")  # doctest: +SKIP
    >>> info["criterion"]  # doctest: +SKIP
    'best silhouette (0.214) over k=3..6 with Ward linkage on weighted profile features'
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.people.feedback_placement import place_feedback
from workbench.people.journey import emotion_curve, journey_matrix, stage_effectiveness
from workbench.people.personas import PersonaError, PersonaModel
from workbench.people.profiles import build_profiles
from workbench.schema import is_missing as _is_missing


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else round(float(value), 4)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if _is_missing(value):
        return None
    return str(value)


def build_personas_and_journey(
    results_dir: Path | str,
    n_personas: int | None = None,
    random_state: int = 42,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Read an analysis results folder and return (personas, journey, info).

    Reads ``passages.parquet``, ``assignments.parquet``, ``painpoints.parquet`` and
    ``participants.parquet`` (missing participants: no attributes). ``personas`` is the
    :class:`PersonaModel` table plus ``n_feedback_items`` (feedback placed by
    :func:`place_feedback`, apart from ``size``); list columns hold strings, ``attributes`` and
    ``touchpoints`` are JSON strings, so both tables write to Parquet as they are. ``journey`` is
    :func:`workbench.people.journey.journey_matrix`. ``info`` (JSON-safe) holds the criterion,
    silhouette per k, weights, attributes used, the reason when there are no personas,
    interviewees without analysed units, feedback counts, stage effectiveness and the emotion
    curve.

    Raises:
        PersonaError: a required file is missing (run ``workbench analyze`` first).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> from workbench.people.demo import demo_tables
        >>> passages, assignments, participants = demo_tables()
        >>> for name, table in [("passages", passages), ("assignments", assignments), ("participants", participants),
        ...                     ("painpoints", pd.DataFrame({"painpoint_id": ["PP01"], "label": ["Hold loop"]}))]:
        ...     table.to_parquet(folder / f"{name}.parquet")
        >>> personas, journey, info = build_personas_and_journey(folder)
        >>> len(personas), int(journey["n_units"].sum()) == len(passages), info["reason"]
        (3, True, None)
    """
    folder = Path(results_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name in ("passages", "assignments", "painpoints"):
        path = folder / f"{name}.parquet"
        if not path.exists():
            raise PersonaError(f"{path}: not found; run `workbench analyze` on the study first")
        tables[name] = pd.read_parquet(path)
    participants_path = folder / "participants.parquet"
    participants = pd.read_parquet(participants_path) if participants_path.exists() else pd.DataFrame(columns=["participant_id"])
    passages, assignments, painpoints = tables["passages"], tables["assignments"], tables["painpoints"]

    profiles = build_profiles(passages, assignments, participants, painpoints)
    model = PersonaModel(n_personas=n_personas, random_state=random_state).fit(profiles, passages, assignments, painpoints)
    personas = model.personas_.copy()
    feedback = place_feedback(model, passages, assignments)
    if len(personas):
        counts = dict(zip(feedback["persona_id"], feedback["n_feedback_items"]))
        personas["n_feedback_items"] = [int(counts.get(p, 0)) for p in personas["persona_id"]]
    journey = journey_matrix(passages, assignments, painpoints)
    listed = set(participants["participant_id"].dropna().astype(str)) if "participant_id" in participants.columns else set()
    curve = emotion_curve(passages, model.membership(), assignments, include_all=True) if model.n_personas_ else pd.DataFrame()
    params = model.get_params()
    info = {
        "n_interviewees": len(profiles),
        "participants_without_units": sorted(listed - set(profiles["participant_id"])),
        "n_personas": model.n_personas_,
        "criterion": model.criterion_,
        "silhouette_by_k": {str(k): v for k, v in model.scores_.items()},
        "reason": model.reason_,
        "method": model.method,
        "weights": {k: params[k] for k in ("painpoint_weight", "touchpoint_weight", "moment_weight", "attribute_weight")},
        "attributes_used": model.attributes_,
        "random_state": random_state,
        "feedback_items_placed": {str(p): int(n) for p, n in zip(feedback.get("persona_id", []), feedback.get("n_feedback_items", []))},
        "stage_effectiveness": stage_effectiveness(journey).to_dict("records"),
        "emotion_curve": curve.to_dict("records"),
    }
    return personas.reset_index(drop=True), journey, _json_safe(info)

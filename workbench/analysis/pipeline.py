"""From segments to ranked pain points: the analysis steps wired in order.

``analyze_segments`` runs: passages → embeddings (cached) → topic model → sentiment
and moments → researcher edits replayed → CX lenses → severity and quotes. Each
step lives in its own module; this one only passes tables between them.

With a cache file, a re-run on identical input redoes only what changed: embeddings are
cached per text, sentiment and moments per text (keyed by the scorer's version), the fitted
pain points by a hash of their texts, vectors, parameters and seed, and the lenses' label
descriptions are embedded through the cache too (so MiniLM is not even loaded when nothing
is new). Each cached result is the one a cold run computes, so warm and cold runs give the
same tables.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis import curation, lenses, sentiment
from workbench.analysis.distributed import open_dask
from workbench.analysis.embed import CachedEmbedder, embed_texts
from workbench.analysis.embedders import get_embedder
from workbench.analysis.embedding_cache import EmbeddingCache
from workbench.analysis.passages import split_into_passages
from workbench.analysis.painpoints import PainPointModel
from workbench.analysis.severity import representative_quotes, severity_scores
from workbench.storage.store import StoredEdit

OTHER_LABEL = "Other"


@dataclass
class AnalysisResult:
    """The tables of one analysis and what produced them.

    Attributes:
        painpoints: one row per pain point, most severe first, ``Other`` last.
        assignments: one row per passage (analysis unit).
        passages: the units with their text (redacted) and offsets.
        info: model ids, options, timings and curation notes for the manifest.

    Example:
        >>> AnalysisResult(pd.DataFrame(), pd.DataFrame(), pd.DataFrame()).info
        {}
    """

    painpoints: pd.DataFrame
    assignments: pd.DataFrame
    passages: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)


def analyze_segments(
    segments: pd.DataFrame,
    embedder: str = "minilm",
    seed: int = 42,
    cache_path: Path | None = None,
    edits: list[StoredEdit] | None = None,
    lens_overrides: dict[str, Any] | None = None,
    split_passages: bool = True,
    progress: bool | None = None,
    model_options: dict[str, Any] | None = None,
    dask_scheduler: Any = None,
) -> AnalysisResult:
    """Find, name, place and rank the pain points of a segments table.

    Args:
        segments: the segments table from ingest (``text_redacted`` is analysed).
        embedder: "minilm" (default, best quality) or "static" (fast).
        seed: random state; the same input and seed give the same pain points.
        cache_path: SQLite file of the cache of embeddings, sentiment scores and fitted pain
            points (None: no cache).
        edits: researcher edits to replay (from ``Store.edits``).
        lens_overrides: ``[analysis.lenses]`` of study.toml.
        split_passages: split long turns into passages (False: one unit per segment).
        model_options: extra parameters of ``PainPointModel``.
        dask_scheduler: a Dask scheduler address (``tcp://host:8786``) or a connected
            ``distributed.Client``: embedding and sentiment/moment scoring then run on its
            workers, with the same results (``workbench.analysis.distributed``); None runs here.

    Example:
        >>> result = analyze_segments(segments_table, embedder="static")  # doctest: +SKIP
        >>> result.painpoints[["painpoint_id", "label", "severity"]].head(3)  # doctest: +SKIP
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    units = split_into_passages(segments) if split_passages else _one_unit_per_segment(segments)
    units = units.reset_index(drop=True)
    texts = units["text"].astype(str).tolist()
    timings["passages"] = time.perf_counter() - clock

    clock = time.perf_counter()
    model = get_embedder(embedder)
    cache = EmbeddingCache(cache_path) if cache_path is not None else None
    dask_run = open_dask(dask_scheduler) if dask_scheduler is not None else None
    if dask_run is not None:
        vectors = dask_run.embed(texts, model, cache=cache, progress=progress)
        dask_run.submit_scoring(texts)  # scored on the workers while the topic model is fitted here
    else:
        vectors = embed_texts(texts, model, cache=cache, progress=progress)
    timings["embed"] = time.perf_counter() - clock
    cache_stats = {"hits": cache.stats.hits, "misses": cache.stats.misses} if cache is not None else {}

    clock = time.perf_counter()
    topic_model = PainPointModel(random_state=seed, **(model_options or {})).fit(texts, vectors, cache=cache)
    timings["topics"] = time.perf_counter() - clock
    if cache is not None:
        cache_stats["painpoints_from_cache"] = bool(topic_model.from_cache_)

    clock = time.perf_counter()
    if dask_run is not None:
        units["sentiment"], units["moment"] = dask_run.scores()
        dask_run.close()
    else:
        scores, moments = sentiment.score_and_classify(texts, cache)
        units["sentiment"] = scores
        units["moment"] = moments
    timings["sentiment"] = time.perf_counter() - clock

    topics = topic_model.topics_.set_index("topic_id")
    membership = pd.Series(
        [curation.OTHER if label < 0 else f"t{label}" for label in topic_model.labels_],
        index=units["passage_id"],
    )
    labels = {f"t{tid}": str(row["label"]) for tid, row in topics.iterrows()}
    curated = curation.replay_edits(membership, labels, edits or [])
    units["painpoint_key"] = curated.membership.loc[units["passage_id"]].to_numpy()
    units["probability"] = np.where(units["painpoint_key"] == curation.OTHER, 0.0, topic_model.probabilities_)
    units["voice"] = units["participant_id"].where(units["participant_id"].notna(), units["segment_id"]).astype(str)

    clock = time.perf_counter()
    model = CachedEmbedder(model, cache) if cache is not None else model  # lens descriptions: cached too
    lens_set = lenses.lenses_from_config(lens_overrides or {})
    units["channel_touchpoint"] = [
        lenses.touchpoint_from_channel(c) if isinstance(c, str) else None for c in units["channel"]
    ]
    units["touchpoint"] = _unit_touchpoints(units, vectors, lens_set["touchpoint"], model)
    units["stage"] = lenses.assign_lens(vectors, lens_set["stage"], model)[0]
    painpoints = _painpoint_table(units, vectors, curated.labels, topics, lens_set, model)
    timings["lenses_and_severity"] = time.perf_counter() - clock

    assignments = units.merge(painpoints[["painpoint_key", "painpoint_id", "label"]], on="painpoint_key", how="left")
    assignments = assignments[
        ["passage_id", "segment_id", "painpoint_id", "label", "probability", "sentiment", "moment", "touchpoint", "stage"]
    ]
    painpoints = painpoints.drop(columns=["painpoint_key"])
    info = {
        "embedder": model.model_id,
        "seed": seed,
        "n_units": len(units),
        "n_painpoints": int((painpoints["painpoint_id"] != curation.OTHER).sum()),
        "other_share": float((units["painpoint_key"] == curation.OTHER).mean()) if len(units) else 0.0,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "cache": cache_stats,
        "dask": dask_run.info() if dask_run is not None else None,
        "curation_applied": curated.applied,
        "curation_unmatched": curated.unmatched,
        "model_params": topic_model.get_params() if hasattr(topic_model, "get_params") else {},
    }
    passages = units.drop(columns=["painpoint_key", "voice", "probability", "channel_touchpoint"], errors="ignore")
    return AnalysisResult(painpoints, assignments, passages, info)


def _one_unit_per_segment(segments: pd.DataFrame) -> pd.DataFrame:
    """Each customer segment as one unit (``workbench cluster`` keeps one row per input row)."""
    customer = segments[segments["role"] == "customer"].copy()
    customer["passage_id"] = customer["segment_id"].astype(str) + "-1"
    customer["text"] = customer["text_redacted"].fillna("")
    columns = ["passage_id", "segment_id", "text", "participant_id", "source_kind", "source_id", "channel", "rating"]
    return customer[[c for c in columns if c in customer.columns]]


def _unit_touchpoints(units: pd.DataFrame, vectors: np.ndarray, lens: lenses.Lens, model: Any) -> list[str]:
    """A unit's own channel metadata wins; otherwise the nearest touchpoint description."""
    zero_shot, _scores = lenses.assign_lens(vectors, lens, model)
    return [channel or guess for channel, guess in zip(units["channel_touchpoint"], zero_shot)]


#: a pain point takes the touchpoint of its units' channel metadata when this share of them agree
CHANNEL_AGREEMENT = 0.6


def _painpoint_touchpoint(member_units: pd.DataFrame, text_touchpoint: str | None) -> str | None:
    """Channel metadata decides when most units share it; else what the pain point's words describe.

    An IVR complaint sent by e-mail or left as an app-store review is still about the
    phone line: one channel among many does not decide, a clear majority does.
    """
    channels = member_units["channel_touchpoint"].dropna()
    if len(channels):
        top, count = Counter(channels).most_common(1)[0]
        if count >= CHANNEL_AGREEMENT * len(member_units):
            return str(top)
    return text_touchpoint


def _painpoint_table(
    units: pd.DataFrame,
    vectors: np.ndarray,
    labels: dict[str, str],
    topics: pd.DataFrame,
    lens_set: dict[str, lenses.Lens],
    model: Any,
) -> pd.DataFrame:
    scores = severity_scores(units, painpoint_column="painpoint_key")
    keys = units["painpoint_key"].to_numpy()
    dimension = _group_lens(vectors, keys, lens_set["dimension"], model)
    touchpoint = _group_lens(vectors, keys, lens_set["touchpoint"], model)
    stage = _group_lens(vectors, keys, lens_set["stage"], model)
    total_participants = max(units["participant_id"].dropna().nunique(), 1)

    rows = []
    for key, score in scores.iterrows():
        members = np.flatnonzero(keys == key)
        member_units = units.iloc[members]
        quote_rows = representative_quotes(
            vectors[members],
            member_units["voice"].tolist(),
            min_words=[len(t.split()) for t in member_units["text"]],
        )
        moments = Counter(member_units["moment"])
        topic_number = int(key[1:]) if key.startswith("t") and key[1:].isdigit() else None
        keywords = list(topics.loc[topic_number, "keywords"]) if topic_number in topics.index else []
        rows.append(
            {
                "painpoint_key": key,
                "label": OTHER_LABEL if key == curation.OTHER else labels.get(key, key),
                "keywords": keywords,
                "kind": _kind(moments, float(score["sentiment_mean"]), key),
                "n_units": int(score["n_units"]),
                "n_segments": int(member_units["segment_id"].nunique()),
                "n_participants": int(member_units["participant_id"].dropna().nunique()),
                "share_participants": member_units["participant_id"].dropna().nunique() / total_participants,
                "n_feedback_items": int((member_units["source_kind"] == "feedback").sum()),
                "sentiment_mean": float(score["sentiment_mean"]),
                "reach": float(score["reach"]),
                "intensity": float(score["intensity"]),
                "frequency": float(score["frequency"]),
                "severity": 0.0 if key == curation.OTHER else round(float(score["severity"]), 1),
                "dimension": dimension.get(key),
                "touchpoint": _painpoint_touchpoint(member_units, touchpoint.get(key)),
                "stage": stage.get(key),
                "quotes": member_units["segment_id"].iloc[quote_rows].tolist(),
                "quote_passages": member_units["passage_id"].iloc[quote_rows].tolist(),
                "quote_texts": member_units["text"].iloc[quote_rows].tolist(),
            }
        )
    table = pd.DataFrame(rows)
    table["is_other"] = table["painpoint_key"] == curation.OTHER
    table = table.sort_values(["is_other", "severity", "n_units"], ascending=[True, False, False]).reset_index(drop=True)
    table["rank"] = range(1, len(table) + 1)
    table["painpoint_id"] = [
        curation.OTHER if other else f"PP{rank:02d}" for other, rank in zip(table["is_other"], table["rank"])
    ]
    table = table.drop(columns=["is_other"])
    first = ["painpoint_id", "label", "keywords", "n_segments", "n_participants", "share_participants",
             "sentiment_mean", "severity", "dimension", "touchpoint", "stage", "quotes"]
    return table[first + [c for c in table.columns if c not in first]]


def _group_lens(vectors: np.ndarray, keys: np.ndarray, lens: lenses.Lens, model: Any) -> dict[str, str]:
    """The label of ``lens`` each pain point's units are closest to on average."""
    table = lenses.assign_lens_to_groups(vectors, keys, lens, model)
    return {str(group): str(label) for group, label in zip(table["group_id"], table["label"])}


def _kind(moments: Counter, sentiment_mean: float, key: str) -> str:
    """pain / delight / purchase / mixed, from the unit moments of a pain point."""
    if key == curation.OTHER:
        return "other"
    total = sum(moments.values()) or 1
    if moments["pain"] / total >= 0.4 or sentiment_mean <= -0.15:
        return "pain"
    if moments["delight"] / total >= 0.4:
        return "delight"
    if moments["purchase"] / total >= 0.3:
        return "purchase"
    return "mixed"

"""From segments to ranked pain points: the analysis steps wired in order.

``analyze_segments`` runs: passages → embeddings (cached) → sentiment and moments → unit
kinds (pain, delight, purchase, context: :mod:`workbench.analysis.kinds`) → groups fitted by
lane, near-duplicates merged (:mod:`workbench.analysis.painpoint_groups`) → researcher edits
replayed → CX lenses → severity, quotes and a statement per group
(:mod:`workbench.analysis.statements`). Each step lives in its own module; this one only
passes tables between them.

With a cache file, a re-run on identical input redoes only what changed: embeddings are
cached per text, sentiment and moments per text (keyed by the scorer's version), the fitted
pain points by a hash of their texts, vectors, parameters and seed, and the lenses' label
descriptions are embedded through the cache too (so MiniLM is not even loaded when nothing
is new). Each cached result is the one a cold run computes, so warm and cold runs give the
same tables.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis import cross_channel, curation, kinds, lens_attribution, lenses, sentiment
from workbench.analysis.distributed import open_dask
from workbench.analysis.embed import CachedEmbedder, embed_texts
from workbench.analysis.embedders import get_embedder
from workbench.analysis.embedding_cache import EmbeddingCache
from workbench.analysis.group_rows import rows_by_key
from workbench.analysis.passages import split_into_passages
from workbench.analysis.painpoint_groups import CONTEXT, group_units, lane_model_options
from workbench.analysis.painpoints import PainPointModel
from workbench.analysis.severity import representative_quotes, severity_scores
from workbench.analysis.statements import painpoint_statement
from workbench.analysis.step_times import StepTimes
from workbench.schema import PAINPOINT_COLUMNS
from workbench.runtime.progress import Progress
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
    progress: bool | Progress | None = None,
    model_options: dict[str, Any] | None = None,
    dask_scheduler: Any = None,
    on_embedded: Callable[[list[str], np.ndarray, list[str]], Any] | None = None,
    lens_sample: int | None = None,
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
        progress: True/False/None (when watching) shows the embedding bar; a
            :class:`workbench.runtime.progress.Progress` also gets a line per step and bars for scoring.
        model_options: extra parameters of ``PainPointModel``.
        dask_scheduler: a Dask scheduler address (``tcp://host:8786``) or a connected
            ``distributed.Client``: embedding and sentiment/moment scoring then run on its
            workers, with the same results (``workbench.analysis.distributed``); None runs here.
        on_embedded: called with the units' texts (as analysed), their vectors and their kinds
            (which decide each unit's lane) as soon as they are embedded and scored, before
            anything is fitted; ``workbench analyze`` starts the stability reruns there, so they
            run beside the rest of the analysis.
        lens_sample: decide each group's lenses over a seeded sample of at most this many of
            its members (``workbench cluster`` on large exports: a pain point's lens is a vote
            over its members, which a sample of thousands decides as well as all of them);
            sampled units get their own touchpoint and stage, the others none. None: every unit.

    Example:
        >>> result = analyze_segments(segments_table, embedder="static")  # doctest: +SKIP
        >>> result.painpoints[["painpoint_id", "label", "severity"]].head(3)  # doctest: +SKIP
    """
    steps = StepTimes()
    reporter = progress if isinstance(progress, Progress) else Progress(enabled=False)
    if isinstance(progress, Progress):
        progress = progress.enabled

    units = split_into_passages(segments) if split_passages else _one_unit_per_segment(segments)
    units = units.reset_index(drop=True)
    # what the customer wrote: an e-mail's quoted replies, greeting and sign-off are not analysed
    texts = [sentiment.customer_words(text) for text in units["text"].astype(str)]
    steps.stop("passages")

    steps.start()
    reporter.begin(f"Embedding {len(texts):,} texts ({embedder})")
    model = get_embedder(embedder)
    cache = EmbeddingCache(cache_path) if cache_path is not None else None
    dask_run = open_dask(dask_scheduler) if dask_scheduler is not None else None
    if dask_run is not None:
        vectors = dask_run.embed(texts, model, cache=cache, progress=progress)
        dask_run.submit_scoring(texts)
    else:
        vectors = embed_texts(texts, model, cache=cache, progress=progress)
    steps.stop("embed")
    reporter.end()
    cache_stats = {"hits": cache.stats.hits, "misses": cache.stats.misses} if cache is not None else {}

    # sentiment and moments come first: they decide each unit's lane (pain, delight, context)
    steps.start()
    reporter.begin("Scoring sentiment and moments")
    if dask_run is not None:
        units["sentiment"], units["moment"] = dask_run.scores()
        dask_run.close()
    else:
        with reporter.bar(len(texts), "Scoring", unit="text") as bar:
            scores, moments = sentiment.score_and_classify(texts, cache, on_chunk=bar.update)
        units["sentiment"] = scores
        units["moment"] = moments
    units["voice"] = units["participant_id"].where(units["participant_id"].notna(), units["segment_id"]).astype(str)
    turns = kinds.interview_turns(units, segments)
    units["unit_kind"] = kinds.unit_kinds(
        texts, units["moment"].tolist(), units["sentiment"].tolist(), turns["answer_position"].tolist(),
        turns["question"].tolist(),
    )
    reaction_to = [previous if kinds.is_reaction_probe(question) else -1
                   for question, previous in zip(turns["question"], turns["previous_unit"])]
    steps.stop("sentiment")
    reporter.end()
    prototypes = embed_texts(list(cross_channel.PROTOTYPES), model, cache=cache, progress=False)
    if on_embedded is not None:  # the units, their vectors and the kind that decides each one's lane
        on_embedded(texts, vectors, cross_channel.rerun_kinds(texts, vectors, units["unit_kind"].astype(str).tolist(),
                                                              units["voice"].tolist(), prototypes))

    steps.start()
    reporter.begin("Finding the pain points")
    groups = group_units(texts, vectors, units["unit_kind"].tolist(), units["voice"].tolist(), seed=seed, cache=cache,
                         model_options=model_options, follows=reaction_to, prototype_vectors=prototypes)
    steps.stop("topics")
    reporter.end(f"{len(groups.labels):,} groups")
    if cache is not None:
        fitted = [lane for lane in groups.info.values() if lane.get("fitted")]
        cache_stats["painpoints_from_cache"] = bool(fitted) and all(lane["from_cache"] for lane in fitted)

    # automatic merges are in the membership already: a researcher's edits are replayed on top and win
    membership = pd.Series(groups.keys, index=units["passage_id"])
    curated = curation.replay_edits(membership, groups.labels, edits or [])
    units["painpoint_key"] = curated.membership.loc[units["passage_id"]].to_numpy()
    units["probability"] = np.where(np.isin(units["painpoint_key"], [curation.OTHER, CONTEXT]), 0.0, groups.probabilities)

    steps.start()
    reporter.begin("Placing the pain points on the CX lenses, ranking them, writing their statements")
    model = CachedEmbedder(model, cache) if cache is not None else model  # lens descriptions: cached too
    lens_set = lenses.lenses_from_config(lens_overrides or {})
    units["channel_touchpoint"] = [
        lenses.touchpoint_from_channel(c) if isinstance(c, str) else None for c in units["channel"]
    ]
    # explicit cues and channel metadata first, embedding similarity second (lens_attribution)
    scored = _lens_rows(units["painpoint_key"].to_numpy(), lens_sample, seed)
    lens_scores = lens_attribution.score_lenses(
        [texts[i] for i in scored], vectors[scored], lens_set, model, units["channel_touchpoint"].iloc[scored].tolist(),
    )
    for lens_name in ("touchpoint", "stage"):
        unit_labels = np.full(len(units), None, dtype=object)
        unit_labels[scored] = lens_scores[lens_name].unit_labels()
        units[lens_name] = unit_labels
    painpoints = _painpoint_table(units, vectors, curated.labels, groups.keywords, lens_scores, model, texts, scored)
    steps.stop("lenses_and_severity")
    reporter.end()

    assignments = units.merge(painpoints[["painpoint_key", "painpoint_id", "label"]], on="painpoint_key", how="left")
    assignments = assignments[
        ["passage_id", "segment_id", "painpoint_id", "label", "probability", "sentiment", "moment", "unit_kind",
         "touchpoint", "stage"]
    ]
    painpoints = painpoints.drop(columns=["painpoint_key"])
    kind_counts = painpoints["kind"].value_counts()
    info = {
        "embedder": model.model_id,
        "seed": seed,
        "n_units": len(units),
        "n_painpoints": int(sum(kind_counts.get(k, 0) for k in kinds.PAINPOINT_KINDS)),
        "n_delights": int(kind_counts.get("delight", 0)),
        "n_purchase_groups": int(kind_counts.get("purchase", 0)),
        "n_context_units": int((units["painpoint_key"] == CONTEXT).sum()),
        "unit_kinds": {str(k): int(v) for k, v in units["unit_kind"].value_counts().sort_index().items()},
        "near_duplicate_merges": [merge.as_record() for merge in groups.merges],
        "cross_channel": groups.info.get("cross_channel"),
        "lanes": groups.info,
        "other_share": float((units["painpoint_key"] == curation.OTHER).mean()) if len(units) else 0.0,
        "timings_s": steps.wall_s(),
        "cpu_s": steps.cpu_s(),
        "cache": cache_stats,
        "dask": dask_run.info() if dask_run is not None else None,
        "curation_applied": curated.applied,
        "curation_unmatched": curated.unmatched,
        "model_params": painpoint_model_params(seed, model_options),
    }
    passages = units.drop(columns=["painpoint_key", "voice", "probability", "channel_touchpoint"], errors="ignore")
    return AnalysisResult(painpoints, assignments, passages, info)


def painpoint_model_params(seed: int, model_options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every parameter of the :class:`PainPointModel` each lane is fitted with (``info["model_params"]``).

    Known before anything is fitted, so the stability reruns can start with the same model.

    Example:
        >>> params = painpoint_model_params(42)
        >>> params["random_state"], params["cluster_selection_method"]
        (42, 'leaf')
    """
    return PainPointModel(random_state=seed, **lane_model_options(model_options)).get_params()


def _one_unit_per_segment(segments: pd.DataFrame) -> pd.DataFrame:
    """Each customer segment as one unit (``workbench cluster`` keeps one row per input row)."""
    customer = segments[segments["role"] == "customer"].copy()
    customer["passage_id"] = customer["segment_id"].astype(str) + "-1"
    customer["text"] = customer["text_redacted"].fillna("")
    columns = ["passage_id", "segment_id", "text", "participant_id", "source_kind", "source_id", "channel", "rating"]
    return customer[[c for c in columns if c in customer.columns]]


#: where each kind of group is listed: pain points (and purchase groups) by severity, then delights, context, Other
_KIND_ORDER = {"pain": 0, "mixed": 0, "purchase": 0, "delight": 1, "context": 2, "other": 3}


def _painpoint_table(
    units: pd.DataFrame,
    vectors: np.ndarray,
    labels: dict[str, str],
    keywords: dict[str, list[str]],
    lens_scores: dict[str, lens_attribution.LensScores],
    model: Any,
    texts: Sequence[str],
    lens_rows: np.ndarray,
) -> pd.DataFrame:
    keys = units["painpoint_key"].to_numpy()
    rows_of = rows_by_key(keys)
    scores = severity_scores(units, painpoint_column="painpoint_key")
    unit_kinds = units["unit_kind"].to_numpy()
    group_kinds = {
        str(key): "other" if key == curation.OTHER else kinds.painpoint_kind(
            unit_kinds[rows_of[key]], float(score["sentiment_mean"]))
        for key, score in scores.iterrows()
    }
    # severity ranks what hurts: delights and context neither count in its scale nor get one
    ranked = [key for key, kind in group_kinds.items() if _KIND_ORDER[kind] == 0 or kind == "other"]
    pain_scores = severity_scores(units[units["painpoint_key"].isin(ranked)], painpoint_column="painpoint_key")
    # per lens: the label, or "mixed" with <lens>_best / <lens>_runner_up / <lens>_margin, decided over members
    lens_columns = lens_attribution.painpoint_lens_columns(lens_scores, keys[lens_rows])
    total_participants = max(units["participant_id"].dropna().nunique(), 1)

    rows = []
    for key, score in scores.iterrows():
        kind = group_kinds[str(key)]
        members = rows_of[key]
        member_units = units.iloc[members]
        quote_rows = representative_quotes(
            vectors[members],
            member_units["voice"].tolist(),
            min_words=[len(t.split()) for t in member_units["text"]],
        )
        if _KIND_ORDER[kind] == 0:
            score = pain_scores.loc[key]
        rows.append(
            {
                "painpoint_key": key,
                "label": OTHER_LABEL if key == curation.OTHER else labels.get(key, key),
                "keywords": list(keywords.get(key, [])),
                "kind": kind,
                "n_units": int(score["n_units"]),
                "n_segments": int(member_units["segment_id"].nunique()),
                "n_participants": int(member_units["participant_id"].dropna().nunique()),
                "share_participants": member_units["participant_id"].dropna().nunique() / total_participants,
                "n_feedback_items": int((member_units["source_kind"] == "feedback").sum()),
                "sentiment_mean": float(score["sentiment_mean"]),
                "reach": float(score["reach"]),
                "intensity": float(score["intensity"]),
                "frequency": float(score["frequency"]),
                "severity": round(float(score["severity"]), 1) if _KIND_ORDER[kind] == 0 else 0.0,
                **lens_columns[key],
                "quotes": member_units["segment_id"].iloc[quote_rows].tolist(),
                "quote_passages": member_units["passage_id"].iloc[quote_rows].tolist(),
                "quote_texts": member_units["text"].iloc[quote_rows].tolist(),
            }
        )
    table = pd.DataFrame(rows)
    table["order"] = table["kind"].map(_KIND_ORDER)
    table = table.sort_values(["order", "severity", "n_units", "painpoint_key"], ascending=[True, False, False, True])
    table = table.drop(columns=["order"]).reset_index(drop=True)
    table["rank"] = range(1, len(table) + 1)
    table["painpoint_id"] = [
        key if key in (curation.OTHER, CONTEXT) else f"PP{rank:02d}" for key, rank in zip(table["painpoint_key"], table["rank"])
    ]
    table["statement"] = _statements(table, rows_of, texts, vectors, model)
    first = list(PAINPOINT_COLUMNS)
    return table[first + [c for c in table.columns if c not in first]]


def _lens_rows(keys: np.ndarray, per_group: int | None, seed: int) -> np.ndarray:
    """The units whose lenses are scored: all of them, or a seeded sample of ``per_group`` per group (ascending)."""
    if per_group is None:
        return np.arange(len(keys))
    rng = np.random.default_rng(seed)
    chosen = [rows if len(rows) <= per_group else rng.choice(rows, per_group, replace=False)
              for _, rows in sorted(rows_by_key(keys).items(), key=lambda item: str(item[0]))]
    return np.sort(np.concatenate(chosen)) if chosen else np.arange(0)


def _statements(
    table: pd.DataFrame, rows_of: dict[Any, np.ndarray], unit_texts: Sequence[str], vectors: np.ndarray, model: Any,
) -> list[str]:
    """One sentence per group in its customers' words (none for Other), in table order, never repeated."""
    texts = np.asarray(unit_texts, dtype=object)  # already the customer's own words (analyze_segments)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit_vectors = vectors / np.where(norms == 0, 1.0, norms)
    grouped = [key for key in table["painpoint_key"] if key not in (curation.OTHER, CONTEXT)]
    centres = {key: unit_vectors[rows_of[key]].mean(axis=0) for key in grouped}
    statements: list[str] = []
    for row in table.itertuples():
        if row.painpoint_key == curation.OTHER:
            statements.append("")
            continue
        members = rows_of[row.painpoint_key]
        others = [centre for key, centre in centres.items() if key != row.painpoint_key]
        statements.append(painpoint_statement(
            texts[members].tolist(), vectors[members], model, kind=row.kind, keywords=row.keywords,
            taken=[s for s in statements if s], other_centres=np.vstack(others) if others else None,
        ))
    return statements


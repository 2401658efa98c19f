"""Placing passages and pain points on the CX lenses: explicit cues first, embedding similarity second.

A passage that says "on hold", "in the app" or "refund" names its touchpoint or stage; embedding
similarity to the labels only guesses. So each unit's score for a label is

    score = cue score (0–2, :mod:`workbench.analysis.lens_cues`; scaled by :data:`CUE_SCALE`)
          + channel vote (touchpoint lens only: :data:`CHANNEL_WEIGHT` for the label its source's
            channel metadata names, e.g. an app-store review → mobile app)
          + :data:`MODEL_WEIGHT` × the probability the trained models give the label (logistic
            regressions on the embedding and on the words, :mod:`workbench.analysis.lens_model`,
            trained on ~23,600 hand-labelled customer texts of ~1,700 industries)
          + :data:`EMBEDDING_WEIGHT` × embedding evidence (0–1: similarity to the label's
            description, :mod:`workbench.analysis.lenses`, and to its nearest example sentence,
            :mod:`workbench.analysis.lens_examples`, each rescaled over the lens's labels)
          + a small prior (:data:`LABEL_PRIORS`: stage "use", where most complaints sit)
          + with MiniLM, on dimension and stage: the lens reader's probability
            (:mod:`workbench.analysis.lens_reader`, MiniLM with adapters trained on the same
            sentences, weight :data:`~workbench.analysis.lens_reader.READER_WEIGHT`)

and the unit takes its best label. The weights differ per lens and were chosen by
cross-validation with whole industries held out: the trained model carries most of the score,
because a word present ("fee", "booking") often is not what the complaint is about (the
complaint "the refund took five months" is about how it was handled); on touchpoint and stage a
cue still counts about as much as a confident model. A channel vote is weaker than a cue in the
text: an IVR complaint sent by e-mail is still about the phone line. A lens with a label the model
was never trained on (a study's own) falls back to the weights of :data:`DEFAULT_EMBEDDING_WEIGHT`.

**A pain point** is decided over its members: each member's scores become votes that sum to one
(a softmax), and the votes are averaged. The best label's lead over the runner-up, relative to
its own share, is the ``margin`` (0: a tie, 1: the runner-up got nothing); below
:data:`MIXED_MARGIN` the pain point is ``"mixed"`` and its table row names both
(``touchpoint = "mixed"``, ``touchpoint_best``, ``touchpoint_runner_up``), so a card can say
"mixed (website / mobile app)" instead of guessing.

How well it works (``benchmarks/lens_accuracy.py``, BENCHMARKS.md "Lens accuracy"): out of fold,
with a whole industry held out, touchpoint is right about 93% of the time, dimension about 82% and
stage about 80%; on single sentences by writers the model never saw (held-out 3 and 4), touchpoint
92–93%, dimension 84–89% and stage about 79%, where two careful readers agree with the writer on 91–97%:
stage on single sentences is still short of the 85% asked. Whole complaints of several sentences do
better (dimension 94%, touchpoint 98%, stage 84%).
Groups of four sentences of one label get that label nearly always.

Example:
    >>> from workbench.analysis.embedders import get_embedder
    >>> from workbench.analysis.lenses import default_lenses
    >>> embedder = get_embedder("static")
    >>> texts = ["the app crashed at checkout", "on hold for an hour", "the agent on the phone was rude"]
    >>> scores = score_units(texts, embedder.encode(texts), default_lenses()["touchpoint"], embedder)
    >>> scores.unit_labels()
    ['mobile app', 'phone and IVR', 'call centre']
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis import lens_cues, lens_examples, lens_focus, lens_model, lens_reader
from workbench.analysis.lenses import Lens, encode_label_texts, label_similarities
from workbench.errors import WorkbenchError

#: the value of a pain point's lens when no label clearly wins
MIXED = "mixed"
# Weights per lens, chosen by cross-validation with whole industries held out (BENCHMARKS.md "Lens
# accuracy"; grid: cue 0.5–1.5, similarity 0–0.3, model 2–10, stage prior 0–0.15, on the ~5,100
# training sentences of round 4): the trained model carries most of the score; similarity to the
# label descriptions adds nothing on dimension and stage once the model is trained. A model weight of
# 6–8 scored 0.3–0.4 points more out of fold, but then a confident model outvotes an explicit cue
# ("on hold for an hour" → use), which issue 15 rules out: 4 keeps a cue decisive.
#: weight of the (0–1 rescaled) embedding similarity to label descriptions and examples, per lens
EMBEDDING_WEIGHT: dict[str, float] = {"dimension": 0.0, "touchpoint": 0.15, "stage": 0.0}
#: weight of the trained models' averaged probability (:mod:`workbench.analysis.lens_model`, 0–1), per lens
# touchpoint 3 (was 2) since its model has a class for "no channel named" (lens_model.NO_CHANNEL): its
# label probabilities are low where no channel is named, so a larger weight no longer outvotes a source's channel
MODEL_WEIGHT: dict[str, float] = {"dimension": 4.0, "touchpoint": 3.0, "stage": 4.0}
#: how much a cue (0–2) counts, per lens
CUE_SCALE: dict[str, float] = {"dimension": 1.0, "touchpoint": 0.75, "stage": 1.5}
#: the weights of a lens with labels the model was not trained on (a study's own label or lens): the
#: model gives such a label 0 and pushes its passages to the nearest trained label ("the bot in the
#: chat window" → website), so it counts half and description similarity can still place them
DEFAULT_EMBEDDING_WEIGHT, DEFAULT_MODEL_WEIGHT = 0.6, 0.5
#: vote of a source's channel metadata for its touchpoint (a cue in the text weighs 1)
CHANNEL_WEIGHT = 0.6
#: temperature of the softmax that turns a unit's scores into votes
VOTE_TEMPERATURE = 0.25
#: a pain point is "mixed" when its best label's votes exceed the runner-up's by less than this
#: share of the best label's votes (0.25: 40% of the votes against 30% is mixed, 40% against 29% is not)
MIXED_MARGIN = 0.25
#: a small lead some labels get before any evidence (most complaints are about using the product)
LABEL_PRIORS: dict[str, dict[str, float]] = {"stage": {"use": 0.15}}
#: the lenses a pain-points table carries
PAINPOINT_LENSES = ("dimension", "touchpoint", "stage")


@dataclass(frozen=True)
class LensScores:
    """Every unit's score for every label of one lens (cues + channel + embedding).

    Attributes:
        lens: the lens name ("touchpoint"...).
        labels: the lens's labels, the columns of ``scores``.
        scores: ``(n_units, n_labels)`` combined scores.
        cues: ``(n_units, n_labels)`` the cue (and channel) part alone.

    Example:
        >>> LensScores("stage", ["use", "support"], np.array([[0.2, 1.4]]), np.array([[0.0, 1.0]])).unit_labels()
        ['support']
    """

    lens: str
    labels: list[str]
    scores: np.ndarray
    cues: np.ndarray

    def unit_labels(self) -> list[str]:
        """The best label of each unit (no "mixed" for a single passage: it gets its best guess)."""
        if self.scores.shape[0] == 0:
            return []
        return [self.labels[i] for i in self.scores.argmax(axis=1)]

    def votes(self) -> np.ndarray:
        """Each unit's scores as votes summing to one (a softmax at :data:`VOTE_TEMPERATURE`)."""
        shifted = (self.scores - self.scores.max(axis=1, keepdims=True)) / VOTE_TEMPERATURE
        weights = np.exp(shifted)
        return weights / weights.sum(axis=1, keepdims=True)


def _rescaled(similarities: np.ndarray) -> np.ndarray:
    """Each row's similarities rescaled to 0 (its worst label) – 1 (its best)."""
    low = similarities.min(axis=1, keepdims=True)
    spread = similarities.max(axis=1, keepdims=True) - low
    return (similarities - low) / np.where(spread <= 0, 1.0, spread)


def embedding_scores(vectors: np.ndarray, lens: Lens, embedder: Any) -> np.ndarray:
    """Each unit's embedding evidence per label, 0–1: the mean of its rescaled similarity to the
    label's description and to the label's nearest example sentence (description only where a
    label has no examples).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> from workbench.analysis.lenses import default_lenses
        >>> embedder = get_embedder("static")
        >>> lens = default_lenses()["touchpoint"]
        >>> scores = embedding_scores(embedder.encode(["I sent them a letter"]), lens, embedder)
        >>> list(lens.labels)[int(scores.argmax())], float(scores.max())
        ('post', 1.0)
    """
    described = label_similarities(vectors, lens, embedder)
    examples = lens_examples.EXAMPLES.get(lens.name, {})
    texts = [text for label in lens.labels for text in examples.get(label, ())]
    if not texts:
        return _rescaled(described)
    example_vectors = np.array(encode_label_texts(embedder, texts), dtype=np.float32)  # a copy: normalised below
    example_vectors /= np.maximum(np.linalg.norm(example_vectors, axis=1, keepdims=True), 1e-12)
    units = np.asarray(vectors, dtype=np.float32)
    units = units / np.maximum(np.linalg.norm(units, axis=1, keepdims=True), 1e-12)
    similarities = units @ example_vectors.T
    nearest = described.copy()
    start = 0
    for column, label in enumerate(lens.labels):
        count = len(examples.get(label, ()))
        if count:
            nearest[:, column] = similarities[:, start:start + count].max(axis=1)
            start += count
    return (_rescaled(described) + _rescaled(nearest)) / 2


def focus_units(texts: Sequence[str], vectors: np.ndarray, embedder: Any) -> tuple[list[str], np.ndarray]:
    """The units' texts without their filler sentences, and their vectors (changed units embedded again).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> embedder = get_embedder("static")
        >>> texts = ["Absolutely shocking. They charged me twice.", "the refund took six weeks"]
        >>> focused, vectors = focus_units(texts, embedder.encode(texts), embedder)
        >>> focused, vectors.shape[0]
        (['They charged me twice.', 'the refund took six weeks'], 2)
    """
    texts = [str(t) for t in texts]
    focused = lens_focus.focus_texts(texts)
    changed = [row for row, (old, new) in enumerate(zip(texts, focused)) if old != new]
    if changed:
        vectors = np.array(vectors, copy=True)
        vectors[changed] = embedder.encode([focused[row] for row in changed])
    return focused, vectors


def score_units(
    texts: Sequence[str],
    vectors: np.ndarray,
    lens: Lens,
    embedder: Any,
    channel_labels: Sequence[str | None] | None = None,
    model: lens_model.LensModel | None = None,
    focus: bool = True,
    reader: bool | None = None,
) -> LensScores:
    """Score every unit against every label of ``lens``: cues in its text, its channel, its embedding.

    A unit of several sentences is read for its complaint: background, feelings and verdicts around
    it are left out first (:mod:`workbench.analysis.lens_focus`), and the kept sentences are embedded
    again with ``embedder``.

    Args:
        texts: the units' texts (cues are read from them).
        vectors: their embeddings, one row each, made by ``embedder``.
        lens: the lens (its labels without cues, e.g. ones a study added, use the embedding only).
        embedder: the embedder of ``vectors`` (the label descriptions are embedded with it).
        channel_labels: per unit, the label its source's channel metadata names (touchpoint
            lens; ``None`` where the source names none).
        model: a :class:`~workbench.analysis.lens_model.LensModel` to use instead of the packaged
            one (a cross-validation fits one per fold); by default the lens's packaged model.
        focus: leave out the filler sentences of longer units first (``False``: ``texts`` and
            ``vectors`` are read as they are, e.g. when :func:`focus_units` already ran).
        reader: add the lens reader's probabilities (:mod:`workbench.analysis.lens_reader`, MiniLM
            studies, dimension and stage); by default only with the packaged model, since the
            reader learnt from every training sentence and a cross-validation fold must not see them.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> from workbench.analysis.lenses import default_lenses
        >>> embedder = get_embedder("static")
        >>> texts = ["I compared three quotes before choosing", "the refund took six weeks"]
        >>> score_units(texts, embedder.encode(texts), default_lenses()["stage"], embedder).unit_labels()
        ['consideration', 'support']
    """
    if len(texts) != len(vectors):
        raise WorkbenchError(f"lenses: {len(texts)} texts but {len(vectors)} vectors; pass one vector per text")
    labels = list(lens.labels)
    if len(texts) == 0:
        empty = np.zeros((0, len(labels)), dtype=np.float32)
        return LensScores(lens.name, labels, empty, empty)
    if focus:
        texts, vectors = focus_units(texts, vectors, embedder)
    cues = lens_cues.cue_matrix([str(t) for t in texts], lens.name, labels)
    cue_part = cues * CUE_SCALE.get(lens.name, 1.0)
    if channel_labels is not None:
        if len(channel_labels) != len(texts):
            raise WorkbenchError(f"lenses: {len(texts)} texts but {len(channel_labels)} channel labels; pass one per text (None for none)")
        column = {label: index for index, label in enumerate(labels)}
        for row, label in enumerate(channel_labels):
            if isinstance(label, str) and label in column:
                cues[row, column[label]] += CHANNEL_WEIGHT
                cue_part[row, column[label]] += CHANNEL_WEIGHT
    packaged_model = model is None
    model = model if model is not None else lens_model.lens_model(lens, embedder)
    embedding_weight, model_weight = EMBEDDING_WEIGHT.get(lens.name), MODEL_WEIGHT.get(lens.name)
    if model is None or embedding_weight is None or model_weight is None or not set(labels) <= model.trained_labels:
        # a label a study added has no training sentences: the weights chosen before the model
        # leaned on it, so description similarity can still give that label its passages
        embedding_weight, model_weight = DEFAULT_EMBEDDING_WEIGHT, DEFAULT_MODEL_WEIGHT
    scores = cue_part + model_weight * lens_model.label_probabilities(vectors, lens, embedder, [str(t) for t in texts], model=model)
    if embedding_weight:
        scores += embedding_weight * embedding_scores(vectors, lens, embedder)
    if packaged_model if reader is None else reader:
        reading = lens_reader.reader_probabilities([str(t) for t in texts], lens.name, labels, embedder)
        if reading is not None:
            scores += lens_reader.READER_WEIGHT[lens.name] * reading
    for label, prior in LABEL_PRIORS.get(lens.name, {}).items():
        if label in labels:
            scores[:, labels.index(label)] += prior
    return LensScores(lens.name, labels, scores.astype(np.float32), cues)


def decide_groups(scores: LensScores, group_ids: Sequence[Any] | np.ndarray) -> pd.DataFrame:
    """One label per group (pain point), decided over its members' votes; "mixed" when it is close.

    Columns: ``group_id``, ``label`` (the best label, or :data:`MIXED`), ``best``, ``runner_up``,
    ``margin`` (the best label's lead over the runner-up as a share of the best label's votes,
    0–1) and ``share`` (the best label's share of all votes). Groups come in order of first
    appearance.

    Example:
        >>> scores = LensScores("stage", ["use", "support"], np.array([[0, 2.], [0, 2.], [2., 0], [0, 2.]]), np.zeros((4, 2)))
        >>> decide_groups(scores, ["a", "a", "b", "b"])[["group_id", "label", "best", "runner_up"]].values.tolist()
        [['a', 'support', 'support', 'use'], ['b', 'mixed', 'use', 'support']]
    """
    groups = np.asarray(list(group_ids), dtype=object)
    if len(groups) != scores.scores.shape[0]:
        raise WorkbenchError(f"lenses: {scores.scores.shape[0]} scored units but {len(groups)} group ids; pass one group id per unit")
    columns = ["group_id", "label", "best", "runner_up", "margin", "share"]
    if len(groups) == 0:
        return pd.DataFrame(columns=columns)
    votes = scores.votes()
    rows = []
    codes, uniques = pd.factorize(pd.Series(groups, dtype=object), sort=False)
    for code, group in enumerate(uniques):
        shares = votes[codes == code].mean(axis=0)
        order = np.argsort(-shares, kind="stable")
        best = scores.labels[int(order[0])]
        runner_up = scores.labels[int(order[1])] if len(order) > 1 else None
        lead = float(shares[order[0]] - (shares[order[1]] if len(order) > 1 else 0.0))
        margin = lead / float(shares[order[0]]) if shares[order[0]] > 0 else 0.0
        rows.append({
            "group_id": group,
            "label": MIXED if runner_up is not None and margin < MIXED_MARGIN else best,
            "best": best,
            "runner_up": runner_up,
            "margin": round(margin, 4),
            "share": round(float(shares[order[0]]), 4),
        })
    return pd.DataFrame(rows, columns=columns)


def score_lenses(
    texts: Sequence[str],
    vectors: np.ndarray,
    lens_set: Mapping[str, Lens],
    embedder: Any,
    channel_touchpoints: Sequence[str | None] | None = None,
) -> dict[str, LensScores]:
    """:func:`score_units` for the dimension, touchpoint and stage lenses (channels vote on touchpoint).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> from workbench.analysis.lenses import default_lenses
        >>> embedder = get_embedder("static")
        >>> texts = ["a £40 change fee", "the courier lost my parcel"]
        >>> scored = score_lenses(texts, embedder.encode(texts), default_lenses(), embedder)
        >>> scored["dimension"].unit_labels()[0], scored["touchpoint"].unit_labels()[1]
        ('pricing', 'delivery')
    """
    missing = [name for name in PAINPOINT_LENSES if name not in lens_set]
    if missing:
        raise WorkbenchError(f"lenses: the lens set lacks {', '.join(missing)}; study.toml may change a lens's labels but not remove the lens")
    texts, vectors = focus_units(texts, vectors, embedder)  # once for the three lenses
    return {
        name: score_units(texts, vectors, lens_set[name], embedder,
                          channel_touchpoints if name == "touchpoint" else None, focus=False)
        for name in PAINPOINT_LENSES
    }


def painpoint_lens_columns(scored: Mapping[str, LensScores], keys: Sequence[Any] | np.ndarray) -> dict[Any, dict[str, Any]]:
    """Per pain-point key, its lens columns: ``<lens>``, ``<lens>_best``, ``<lens>_runner_up``, ``<lens>_margin``.

    Example:
        >>> scores = LensScores("stage", ["use", "support"], np.array([[0, 2.], [0, 2.]]), np.zeros((2, 2)))
        >>> painpoint_lens_columns({"stage": scores}, ["t0", "t0"])["t0"]["stage"]
        'support'
    """
    columns: dict[Any, dict[str, Any]] = {}
    for name, scores in scored.items():
        table = decide_groups(scores, keys)
        for row in table.to_dict("records"):
            entry = columns.setdefault(row["group_id"], {})
            entry[name] = row["label"]
            entry[f"{name}_best"] = row["best"]
            entry[f"{name}_runner_up"] = row["runner_up"]
            entry[f"{name}_margin"] = row["margin"]
    return columns


def lens_text(row: Mapping[str, Any], lens: str) -> str:
    """How a card shows a pain point's lens: the label, "mixed (best / runner-up)", or "".

    Example:
        >>> lens_text({"stage": "support"}, "stage")
        'support'
        >>> lens_text({"stage": "mixed", "stage_best": "purchase/booking", "stage_runner_up": "support"}, "stage")
        'mixed (purchase/booking / support)'
        >>> lens_text({"stage": None}, "stage"), lens_text({}, "touchpoint")
        ('', '')
    """
    value = row.get(lens)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value)
    if text != MIXED:
        return text
    named = [str(row.get(f"{lens}_{part}")) for part in ("best", "runner_up")
             if isinstance(row.get(f"{lens}_{part}"), str) and row.get(f"{lens}_{part}")]
    return f"{MIXED} ({' / '.join(named)})" if named else MIXED

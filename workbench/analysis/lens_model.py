"""A small supervised model per CX lens: logistic regression on the sentence embedding.

Cues (:mod:`workbench.analysis.lens_cues`) fire on any word present, and similarity to a label's
description or nearest example (:mod:`workbench.analysis.lenses`,
:mod:`workbench.analysis.lens_examples`) looks at one label at a time. Neither learns where the
*boundaries* between labels lie ("the refund took weeks" is about how the complaint was handled,
not about money), and on complaint sentences written after the cues were frozen dimension and
stage fell to about 60%. A logistic regression over the embedding, trained on the hand-labelled
sentences of ``lens_training.csv`` (267 sentences, nine industries; the same rows as
``tests/data/lens_fixture.csv``) plus the example sentences, learns those boundaries from whole
sentences; its probabilities are one more term of the score in
:mod:`workbench.analysis.lens_attribution`.

No new model is downloaded: the regression is fitted, once per embedder and lens, on vectors of
the embedder in use (MiniLM or static), in well under a second once the ~470 training sentences
are embedded. A label a study adds in ``study.toml`` has no training sentences and gets
probability 0 here (it is placed by cues and description similarity); a lens with fewer than two
trained labels has no model.

Example:
    >>> from workbench.analysis.embedders import get_embedder
    >>> from workbench.analysis.lenses import default_lenses
    >>> embedder = get_embedder("static")
    >>> lens = default_lenses()["stage"]
    >>> probabilities = label_probabilities(embedder.encode(["my refund still has not arrived"]), lens, embedder)
    >>> probabilities.shape, round(float(probabilities.sum()), 3)
    ((1, 7), 1.0)
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis import lens_examples
from workbench.analysis.lenses import Lens
from workbench.errors import WorkbenchError

#: the hand-labelled sentences the model learns from (columns sentence, industry, dimension, touchpoint, stage)
TRAINING_FILE = Path(__file__).with_name("lens_training.csv")
#: inverse regularisation strength of the logistic regression (chosen among 1, 4, 16)
REGULARISATION_C = 4.0

_MODELS: dict[tuple[str, str, tuple[str, ...]], Any] = {}
_VECTORS: dict[str, dict[str, np.ndarray]] = {}  # per embedder, each training sentence's vector


def training_sentences(lens_name: str, labels: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Return (sentences, labels) to train ``lens_name`` on: the labelled file, then the examples.

    Rows whose label for this lens is empty (the sentence names no touchpoint) are left out, and
    so are labels not in ``labels`` when it is given.

    Raises:
        WorkbenchError: when the training file is missing or a row lacks a column.

    Example:
        >>> texts, labels = training_sentences("stage")
        >>> len(texts) == len(labels), len(texts) > 250, "support" in labels
        (True, True, True)
    """
    if not TRAINING_FILE.is_file():
        raise WorkbenchError(f"lenses: the training file {TRAINING_FILE} is missing; reinstall the package")
    texts: list[str] = []
    targets: list[str] = []
    with TRAINING_FILE.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if "sentence" not in row or lens_name not in row:
                break  # a lens the file has no column for: examples only
            label = (row.get(lens_name) or "").strip()
            text = (row.get("sentence") or "").strip()
            if not text and label:
                raise WorkbenchError(f"lenses: {TRAINING_FILE.name} line {line}: a label without a sentence")
            if label and (labels is None or label in labels):
                texts.append(text)
                targets.append(label)
    for label, examples in lens_examples.EXAMPLES.get(lens_name, {}).items():
        if labels is None or label in labels:
            texts.extend(examples)
            targets.extend([label] * len(examples))
    return texts, targets


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    return array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-12)


def _training_vectors(texts: list[str], embedder: Any, model_id: str) -> np.ndarray:
    """The training sentences' unit vectors, each sentence embedded once per embedder (the three
    lenses share most sentences: MiniLM embeds ~470 instead of ~880)."""
    known = _VECTORS.setdefault(model_id, {})
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        for text, vector in zip(missing, _unit_rows(embedder.encode(missing))):
            known[text] = vector
    return np.stack([known[t] for t in texts])


def lens_model(lens: Lens, embedder: Any) -> Any | None:
    """Return the fitted logistic regression for ``lens`` on ``embedder``'s vectors (cached), or ``None``.

    ``None`` when fewer than two of the lens's labels have training sentences (e.g. a lens a
    study made up). The model is cached per embedder ``model_id``, lens name and label set.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> from workbench.analysis.lenses import default_lenses
        >>> model = lens_model(default_lenses()["dimension"], get_embedder("static"))
        >>> len(model.classes_)
        13
        >>> lens_model(Lens("mood", {"happy": "a happy customer", "sad": "a sad customer"}), get_embedder("static")) is None
        True
    """
    labels = list(lens.labels)
    key = (str(getattr(embedder, "model_id", type(embedder).__name__)), lens.name, tuple(labels))
    if key in _MODELS:
        return _MODELS[key]
    texts, targets = training_sentences(lens.name, labels)
    model = None
    if len(set(targets)) >= 2:
        from sklearn.linear_model import LogisticRegression  # imported here: only the lenses need it
        from threadpoolctl import threadpool_limits

        vectors = _training_vectors(texts, embedder, key[0])
        model = LogisticRegression(C=REGULARISATION_C, max_iter=2000)
        # one BLAS thread: on a few hundred rows more threads only spin (measured 0.07 s CPU on one
        # thread against 1.6 s CPU and 6.9 s wall on all threads of a loaded 2-core machine)
        with threadpool_limits(limits=1):
            model.fit(vectors, targets)
    _MODELS[key] = model
    return model


def label_probabilities(vectors: np.ndarray, lens: Lens, embedder: Any) -> np.ndarray:
    """Return an ``(n_units, n_labels)`` array of the model's probabilities, columns in ``lens.labels`` order.

    Labels without training sentences get 0; a lens without a model gets all zeros (so the
    score falls back to cues and description similarity).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> from workbench.analysis.lenses import default_lenses
        >>> embedder = get_embedder("static")
        >>> lens = default_lenses()["dimension"]
        >>> p = label_probabilities(embedder.encode(["they charged me a £40 fee"]), lens, embedder)
        >>> list(lens.labels)[int(p.argmax())]
        'pricing'
    """
    units = _unit_rows(vectors)
    result = np.zeros((units.shape[0], len(lens.labels)), dtype=np.float32)
    if units.shape[0] == 0:
        return result
    model = lens_model(lens, embedder)
    if model is None:
        return result
    if model.coef_.shape[1] != units.shape[1]:
        raise WorkbenchError(
            f"lenses: the passages have {units.shape[1]} dimensions but the lens model of "
            f"{getattr(embedder, 'model_id', 'the embedder')} expects {model.coef_.shape[1]}; embed both with the same model"
        )
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # see lens_model: threads only spin on a matrix this thin
        probabilities = model.predict_proba(units)
    column = {label: index for index, label in enumerate(lens.labels)}
    for index, label in enumerate(model.classes_):
        result[:, column[str(label)]] = probabilities[:, index]
    return result

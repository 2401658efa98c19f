"""A small supervised model per CX lens: the sentence embedding and the words, each in a logistic regression.

Cues (:mod:`workbench.analysis.lens_cues`) fire on any word present, and similarity to a label's
description or nearest example (:mod:`workbench.analysis.lenses`,
:mod:`workbench.analysis.lens_examples`) looks at one label at a time. Neither learns where the
*boundaries* between labels lie ("the refund took weeks" is about how the complaint was handled,
not about money). Two logistic regressions learn them from hand-labelled whole sentences:

* one on the sentence embedding of the embedder in use (MiniLM or static), which knows that
  "the tablets came opened" and "the parcel arrived damaged" are alike;
* one on the words (TF-IDF of word 1–2-grams and of character 3–5-grams within words, so "cancel",
  "cancelling" and "cancellation" or a typo share features), which knows that "renewal" or "under
  settings" decide a label whatever the embedding makes of the rest.

Their probabilities are averaged (:data:`LEXICAL_SHARE`) into one more term of the score in
:mod:`workbench.analysis.lens_attribution`.

**Training data** (:data:`TRAINING_FILES`): ``lens_training.csv`` (267 sentences, nine industries;
the same rows as ``tests/data/lens_fixture.csv``), ``lens_training_more.csv`` (1,039 sentences of
about 70 industries written the way reviews, tweets, survey verbatims, interview quotes and call
notes are) and ``lens_training_round4.csv`` (3,779 sentences of 114 further industries by five more
writers, one in six in spoken interview style; dimension and stage only) and
``lens_training_round5.csv`` (716 texts on all three lenses: consumer-finance complaint narratives in
the style of complaint forms, with redacted dates and amounts, and tweets to companies),
``lens_training_round6.csv`` and ``lens_training_round7.csv`` (1,789 + 1,791 texts on all three lenses
by eight more writers, 223 further industries, written around the boundaries between neighbouring
labels: long reviews, complaint letters, interview answers, English as written worldwide) and
``lens_training_round8.csv`` (1,795 texts by four more writers, 110 more industries, on the journey stage
above all) and ``lens_training_round9.csv`` to ``..._round14.csv`` (about 1,770 single sentences each by
four more writers per round, about 100 more industries per round, the journey stage above all; a second
reader labelled each blind, and a dimension or stage label the two did not agree on is left empty) and
``lens_training_round17.csv`` (1,782 complaints of one to four sentences by four more writers, as they reach a
company: social posts, complaint-form narratives, letters and live-chat messages, reviews and survey answers;
read again blind the same way), labelled
by the rules in ``benchmarks/lens_accuracy.py``, plus the example sentences. None is taken from the
held-out files of ``tests/data``. The touchpoint models learn one class more, :data:`NO_CHANNEL`, from
the sentences those files leave without a touchpoint, so that a sentence naming no channel gives little
probability to any (and a source's channel decides it). The settings (:data:`EMBEDDING_C`, :data:`LEXICAL_C`,
:data:`LEXICAL_SHARE`) were chosen by cross-validation with whole industries held out
(BENCHMARKS.md "Lens accuracy").

No model is downloaded: both regressions are fitted at first use, on one BLAS thread, in about
a minute once the ~23,600 training texts are embedded (once per embedder, then kept on disk:
:func:`training_vectors_path`; the word model once per lens). A label a study adds in
``study.toml`` has no training sentences and gets probability 0 here (it is placed by cues and
description similarity); a lens with fewer than two trained labels has no model.

Example:
    >>> from workbench.analysis.embedders import get_embedder
    >>> from workbench.analysis.lenses import default_lenses
    >>> embedder = get_embedder("static")
    >>> lens = default_lenses()["stage"]
    >>> texts = ["my refund still has not arrived"]
    >>> probabilities = label_probabilities(embedder.encode(texts), lens, embedder, texts)
    >>> probabilities.shape, round(float(probabilities.sum()), 3)
    ((1, 7), 1.0)
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis import lens_examples
from workbench.analysis.lenses import Lens
from workbench.errors import WorkbenchError

#: the fixture's sentences (kept equal to tests/data/lens_fixture.csv; columns sentence, industry,
#: dimension, touchpoint, stage)
TRAINING_FILE = Path(__file__).with_name("lens_training.csv")
#: every file the models learn from (same columns)
TRAINING_FILES = (
    TRAINING_FILE,
    Path(__file__).with_name("lens_training_more.csv"),
    # round 4: dimension and stage only (touchpoint left empty: its writers labelled implied channels)
    Path(__file__).with_name("lens_training_round4.csv"),
    # round 5: consumer-finance complaint narratives and customer tweets, all three lenses
    Path(__file__).with_name("lens_training_round5.csv"),
    # round 6: four writers, 110 industries, the boundary cases between neighbouring labels, all three lenses
    Path(__file__).with_name("lens_training_round6.csv"),
    # round 7: four writers, 115 industries: long reviews, complaint letters, interview answers, English worldwide
    Path(__file__).with_name("lens_training_round7.csv"),
    # round 8: four writers, 110 industries, the journey stage above all (the same words at another moment)
    Path(__file__).with_name("lens_training_round8.csv"),
    # rounds 9 to 14: four writers a round, ~100 new industries a round, one sentence each, the journey stage
    # above all; every dimension and stage label checked by a second, blind reader (empty where the two disagreed)
    *(Path(__file__).with_name(f"lens_training_round{number}.csv") for number in range(9, 15)),
    # round 17: four writers, 1,782 complaints of 1-4 sentences as customers send them (social posts, complaint
    # forms, letters and live chat, reviews and survey answers), every label read again blind (empty where two disagreed)
    Path(__file__).with_name("lens_training_round17.csv"),
)
#: the group of the example sentences in cross-validation (they are never held out)
EXAMPLES_GROUP = "examples"
#: the touchpoint models' extra class: the sentence names no channel. Trained on the sentences whose writers
#: left touchpoint empty because none is named, it takes the probability a contentless sentence ("Terrible,
#: just terrible.") would otherwise give the most common channel, so the source's channel metadata decides
#: it (issue 15); it is never a label of the lens.
NO_CHANNEL = "(no channel named)"
#: training files whose empty touchpoint cells mean "not labelled" rather than "no channel named"
TOUCHPOINT_NOT_LABELLED = frozenset({"lens_training_round4.csv"})
#: inverse regularisation of the embedding regression (industry-held-out CV: 1 and 4 alike, 16 worse)
EMBEDDING_C = 4.0
#: inverse regularisation of the word regression (CV: 10–30 alike, 3 worse)
LEXICAL_C = 20.0
#: convergence tolerance of the word regression: 1e-3 fits ~5,000 sentences in a third of the time of
#: scikit-learn's 1e-4 (2 s instead of 6 s per lens) with the same cross-validated accuracy
LEXICAL_TOL = 1e-3
#: share of the word model in the averaged probability (CV: 0.5 best of 0–1 on dimension and stage)
LEXICAL_SHARE = 0.5

_MODELS: dict[tuple[str, str, tuple[str, ...]], Any] = {}
_LEXICAL: dict[tuple[str, tuple[str, ...]], Any] = {}  # per lens and label set, the fitted word regression
_FEATURES: list[Any] = []  # the word features fitted on every training sentence, shared by the lenses
_LAST_MATRIX: list[Any] = []  # (features id, texts key, matrix): score_lenses transforms the same texts thrice
_VECTORS: dict[str, dict[str, np.ndarray]] = {}  # per embedder, each training sentence's vector
_ALL_LENSES = ("dimension", "touchpoint", "stage")  # the lenses the training files label
_BUNDLES_READ: set[str] = set()  # embedders whose stored models this process has looked for
_BUNDLES_OK: set[str] = set()  # ... and those whose stored models are sound (read or written here)


def training_rows(lens_name: str, labels: Sequence[str] | None = None) -> tuple[list[str], list[str], list[str]]:
    """Return (sentences, labels, groups) to train ``lens_name`` on: the labelled files, then the examples.

    ``groups`` is each sentence's industry (:data:`EXAMPLES_GROUP` for the example sentences), so a
    cross-validation can hold a whole industry out. Rows whose label for this lens is empty (the
    sentence names no touchpoint) are left out, and so are labels not in ``labels`` when it is given.

    Raises:
        WorkbenchError: when a training file is missing or a row has a label but no sentence.

    Example:
        >>> texts, labels, groups = training_rows("stage")
        >>> len(texts) == len(labels) == len(groups), len(set(groups)) > 40, groups[-1]
        (True, True, 'examples')
    """
    texts: list[str] = []
    targets: list[str] = []
    groups: list[str] = []
    for path in TRAINING_FILES:
        if not path.is_file():
            raise WorkbenchError(f"lenses: the training file {path} is missing; reinstall the package")
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                if "sentence" not in row or lens_name not in row:
                    break  # a lens the file has no column for: examples only
                label = (row.get(lens_name) or "").strip()
                text = (row.get("sentence") or "").strip()
                if not text and label:
                    raise WorkbenchError(f"lenses: {path.name} line {line}: a label without a sentence")
                if label and (labels is None or label in labels):
                    texts.append(text)
                    targets.append(label)
                    groups.append((row.get("industry") or "").strip().lower())
    for label, examples in lens_examples.EXAMPLES.get(lens_name, {}).items():
        if labels is None or label in labels:
            texts.extend(examples)
            targets.extend([label] * len(examples))
            groups.extend([EXAMPLES_GROUP] * len(examples))
    return texts, targets, groups


def no_channel_rows() -> tuple[list[str], list[str]]:
    """Return (sentences, industries) that name no channel: empty touchpoint in a file that labels it.

    Example:
        >>> texts, groups = no_channel_rows()
        >>> len(texts) == len(groups), len(texts) > 1000
        (True, True)
    """
    texts: list[str] = []
    groups: list[str] = []
    for path in TRAINING_FILES:
        if path.name in TOUCHPOINT_NOT_LABELLED or not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("sentence") or "").strip()
                if text and "touchpoint" in row and not (row.get("touchpoint") or "").strip():
                    texts.append(text)
                    groups.append((row.get("industry") or "").strip().lower())
    return texts, groups


def training_sentences(lens_name: str, labels: Sequence[str] | None = None) -> tuple[list[str], list[str]]:
    """Return (sentences, labels) to train ``lens_name`` on (:func:`training_rows` without the groups).

    Example:
        >>> texts, labels = training_sentences("stage")
        >>> len(texts) == len(labels), len(texts) > 1000, "support" in labels
        (True, True, True)
    """
    texts, targets, _ = training_rows(lens_name, labels)
    return texts, targets


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    return array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-12)


def training_vectors_path(model_id: str) -> Path:
    """Where the training sentences' vectors of one embedder are kept between processes.

    Next to the exported ONNX model (:func:`~workbench.analysis.embedders.minilm_onnx.default_model_dir`),
    named by the embedder's ``model_id``; ``workbench prepare`` fills it, so a first analysis does not
    spend ~20 s (MiniLM, 2 cores) embedding ~5,000 training sentences.

    Example:
        >>> training_vectors_path("minilm:all-MiniLM-L6-v2:onnx").name
        'lens-training-minilm_all-MiniLM-L6-v2_onnx.npz'
    """
    from workbench.analysis.embedders.minilm_onnx import default_model_dir

    return default_model_dir() / f"lens-training-{re.sub(r'[^A-Za-z0-9_.-]+', '_', model_id)}.npz"


def _read_stored_vectors(model_id: str) -> dict[str, np.ndarray]:
    """The vectors stored by an earlier process ({} when there are none or the file is unreadable)."""
    path = training_vectors_path(model_id)
    try:
        with np.load(path, allow_pickle=False) as stored:
            texts, vectors = stored["texts"], stored["vectors"]
    except (OSError, KeyError, ValueError):
        return {}  # none yet, or damaged: embedding again costs seconds, never the analysis
    if len(texts) != len(vectors):
        return {}
    return {str(text): vector for text, vector in zip(texts, vectors)}


def _store_vectors(model_id: str, known: dict[str, np.ndarray]) -> None:
    """Write ``known`` for the next process (atomically; a read-only folder only costs the reuse)."""
    path = training_vectors_path(model_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".lens-training-", suffix=".npz", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            np.savez(out, texts=np.array(list(known), dtype=str), vectors=np.stack(list(known.values())))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the environment's other files are readable
        os.replace(temporary, path)
    except OSError:
        return


def _training_vectors(texts: list[str], embedder: Any, model_id: str) -> np.ndarray:
    """The training sentences' unit vectors, each sentence embedded once per embedder (the three
    lenses share most sentences) and kept on disk (:func:`training_vectors_path`) for the next process."""
    known = _VECTORS.get(model_id)
    if known is None:
        known = _VECTORS[model_id] = _read_stored_vectors(model_id)
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        # the whole training set at once (all lenses' sentences), so one process stores it complete
        everything = list(dict.fromkeys(missing + [t for lens in _ALL_LENSES for t in training_sentences(lens)[0] if t not in known]))
        for text, vector in zip(everything, _unit_rows(embedder.encode(everything))):
            known[text] = vector
        _store_vectors(model_id, known)
    return np.stack([known[t] for t in texts])


def _lexical_features() -> Any:
    """Word 1–2-grams and in-word character 3–5-grams, TF-IDF with sublinear counts (unfitted)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
    ])


def _shared_features() -> Any:
    """The word features fitted once on every training sentence of every lens (cached)."""
    if not _FEATURES:
        texts = list(dict.fromkeys(t for name in ("dimension", "touchpoint", "stage") for t in training_sentences(name)[0]))
        _FEATURES.append(_lexical_features().fit(texts))
    return _FEATURES[0]


def _transform(features: Any, texts: Sequence[str]) -> Any:
    """``features.transform(texts)``, remembering the last call (the three lenses score the same texts)."""
    key = (id(features), len(texts), hash(tuple(texts)))
    if _LAST_MATRIX and _LAST_MATRIX[0][0] == key:
        return _LAST_MATRIX[0][1]
    matrix = features.transform([str(t) for t in texts])
    _LAST_MATRIX[:] = [(key, matrix)]
    return matrix


@dataclass(frozen=True)
class LensModel:
    """The two fitted regressions of one lens; :meth:`probabilities` averages them.

    Attributes:
        labels: the lens's labels (the columns of :meth:`probabilities`).
        embedding_model: logistic regression on unit-length sentence embeddings (or ``None``).
        features: the fitted TF-IDF features of the word model (or ``None``).
        lexical_model: logistic regression on ``features`` (or ``None``).
        lexical_share: weight of the word model in the average (0–1).

    Example:
        >>> model = fit_lens_model(["a rude agent", "a huge fee", "rude staff", "fees went up"],
        ...                        ["customer service", "pricing", "customer service", "pricing"],
        ...                        None, ["customer service", "pricing", "UX"])
        >>> model.probabilities(["the staff were rude"], None).round(2).tolist()[0][2]
        0.0
    """

    labels: list[str]
    embedding_model: Any
    features: Any
    lexical_model: Any
    lexical_share: float = LEXICAL_SHARE

    @property
    def trained_labels(self) -> set[str]:
        """The labels that had training sentences (the others always get probability 0)."""
        trained: set[str] = set()
        for part in (self.embedding_model, self.lexical_model):
            if part is not None:
                trained |= {str(label) for label in part.classes_}
        return trained - {NO_CHANNEL}

    def probabilities(self, texts: Sequence[str] | None, vectors: np.ndarray | None) -> np.ndarray:
        """An ``(n, n_labels)`` array: the models' averaged probabilities, columns in :attr:`labels` order.

        A part without input (``texts`` or ``vectors`` ``None``) or without a model is left out of
        the average; labels without training sentences get 0.
        """
        from threadpoolctl import threadpool_limits

        column = {label: index for index, label in enumerate(self.labels)}
        parts: list[tuple[float, np.ndarray]] = []
        # one BLAS thread: on matrices this thin more threads only spin (measured 0.07 s CPU on one
        # thread against 1.6 s CPU and 6.9 s wall on all threads of a loaded 2-core machine)
        with threadpool_limits(limits=1):
            if vectors is not None and self.embedding_model is not None:
                parts.append((1.0 - self.lexical_share, self._spread(self.embedding_model, self.embedding_model.predict_proba(_unit_rows(vectors)), column)))
            if texts is not None and self.lexical_model is not None:
                matrix = _transform(self.features, texts)
                parts.append((self.lexical_share, self._spread(self.lexical_model, self.lexical_model.predict_proba(matrix), column)))
        if not parts:
            count = len(texts) if texts is not None else (0 if vectors is None else len(vectors))
            return np.zeros((count, len(self.labels)), dtype=np.float32)
        total = sum(weight for weight, _ in parts)
        if total <= 0:  # a share of 0 or 1 with only the other part present
            total, parts = 1.0, [(1.0, parts[0][1])]
        return (sum(weight * part for weight, part in parts) / total).astype(np.float32)

    def _spread(self, model: Any, probabilities: np.ndarray, column: dict[str, int]) -> np.ndarray:
        result = np.zeros((probabilities.shape[0], len(self.labels)), dtype=np.float32)
        for index, label in enumerate(model.classes_):
            if str(label) in column:  # NO_CHANNEL is a class, never a label: its share is left out
                result[:, column[str(label)]] = probabilities[:, index]
        return result


def fit_lens_model(texts: Sequence[str], targets: Sequence[str], vectors: np.ndarray | None,
                   labels: Sequence[str], *, features: Any = None, lexical: Any = None) -> LensModel | None:
    """Fit both regressions on labelled sentences (``vectors``: their embeddings, or ``None`` for words only).

    ``features``: fitted word features to use (by default they are fitted on ``texts``);
    ``lexical``: an already fitted word regression on them (it does not depend on the embedder).
    ``None`` when fewer than two of ``labels`` have sentences.

    Example:
        >>> fit_lens_model(["a rude agent"], ["customer service"], None, ["customer service", "pricing"]) is None
        True
    """
    if len(set(targets) & set(labels)) < 2:
        return None
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    texts = [str(t) for t in texts]
    with threadpool_limits(limits=1):
        embedding_model = None
        if vectors is not None:
            embedding_model = LogisticRegression(C=EMBEDDING_C, max_iter=3000).fit(_unit_rows(vectors), list(targets))
        if features is None:
            features = _lexical_features().fit(texts)
        if lexical is None:
            lexical = LogisticRegression(C=LEXICAL_C, max_iter=3000, tol=LEXICAL_TOL).fit(features.transform(texts), list(targets))
    return LensModel(list(labels), embedding_model, features, lexical)


def lens_model(lens: Lens, embedder: Any) -> LensModel | None:
    """Return the fitted :class:`LensModel` for ``lens`` on ``embedder``'s vectors (cached), or ``None``.

    ``None`` when fewer than two of the lens's labels have training sentences (e.g. a lens a
    study made up). Cached per embedder ``model_id``, lens name and label set; the word part is
    shared by the embedders.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> from workbench.analysis.lenses import default_lenses
        >>> model = lens_model(default_lenses()["dimension"], get_embedder("static"))
        >>> len(model.embedding_model.classes_), len(model.lexical_model.classes_)
        (13, 13)
        >>> lens_model(Lens("mood", {"happy": "a happy customer", "sad": "a sad customer"}), get_embedder("static")) is None
        True
    """
    labels = list(lens.labels)
    key = (str(getattr(embedder, "model_id", type(embedder).__name__)), lens.name, tuple(labels))
    if key in _MODELS:
        return _MODELS[key]
    if key[0] not in _BUNDLES_READ:  # the three default lenses' models as an earlier process fitted them
        _BUNDLES_READ.add(key[0])
        bundle = _read_bundle(key[0])
        if bundle:
            _BUNDLES_OK.add(key[0])
        _MODELS.update({k: v for k, v in bundle.items() if k not in _MODELS})
        if key in _MODELS:
            return _MODELS[key]
    texts, targets = training_sentences(lens.name, labels)
    if lens.name == "touchpoint":
        unnamed = no_channel_rows()[0]
        texts, targets = texts + unnamed, targets + [NO_CHANNEL] * len(unnamed)
    model = None
    if len(set(targets)) >= 2:
        lexical_key = (lens.name, tuple(labels))
        model = fit_lens_model(texts, targets, _training_vectors(texts, embedder, key[0]), labels,
                               features=_shared_features(), lexical=_LEXICAL.get(lexical_key))
        if model is not None:
            _LEXICAL[lexical_key] = model.lexical_model
    _MODELS[key] = model
    _store_bundle_when_complete(key[0])
    return model


def _bundle_path(model_id: str) -> Path:
    """Where the default lenses' fitted models of one embedder are kept, named by what they depend on:
    the training files, the examples, the settings and scikit-learn's version (any change: a new file)."""
    import hashlib

    import sklearn

    from workbench.analysis.embedders.minilm_onnx import default_model_dir
    from workbench.analysis.lenses import default_lenses

    digest = hashlib.sha256()
    for path in TRAINING_FILES:
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    digest.update(repr((sorted(lens_examples.EXAMPLES.items()), EMBEDDING_C, LEXICAL_C, LEXICAL_TOL, LEXICAL_SHARE, NO_CHANNEL,
                        sorted(TOUCHPOINT_NOT_LABELLED),
                        sklearn.__version__, [(n, tuple(v.labels)) for n, v in default_lenses().items()])).encode())
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_id)
    return default_model_dir() / f"lens-models-{safe}-{digest.hexdigest()[:16]}.pickle"


def _default_keys(model_id: str) -> list[tuple[str, str, tuple[str, ...]]]:
    from workbench.analysis.lenses import default_lenses

    return [(model_id, name, tuple(lens.labels)) for name, lens in default_lenses().items() if name in _ALL_LENSES]


def _read_bundle(model_id: str) -> dict[tuple[str, str, tuple[str, ...]], Any]:
    """The stored models ({} when none, damaged, or of other settings: they are fitted again)."""
    import pickle

    try:
        # written by this package into the environment's (or the user's) model folder, as the ONNX model is
        with _bundle_path(model_id).open("rb") as handle:
            bundle = pickle.load(handle)  # noqa: S301
    except Exception:  # noqa: BLE001 - missing, truncated, or from another scikit-learn: fit again
        return {}
    if not isinstance(bundle, dict) or set(bundle) != set(_default_keys(model_id)):
        return {}
    return bundle


def _store_bundle_when_complete(model_id: str) -> None:
    """Once this process has fitted all three default lenses, write them for the next one (one file,
    so the lenses keep sharing one word-feature object); a read-only folder only costs the reuse."""
    import pickle

    keys = _default_keys(model_id)
    if model_id in _BUNDLES_OK or not all(k in _MODELS for k in keys):
        return
    path = _bundle_path(model_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".lens-models-", suffix=".pickle", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            pickle.dump({k: _MODELS[k] for k in keys}, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)  # a damaged file is replaced
        _BUNDLES_OK.add(model_id)
    except OSError:
        return


def prepare_lens_models(embedder: Any) -> None:
    """Fit the three default lenses' models on ``embedder`` (or read them) and keep them on disk.

    ``workbench prepare`` calls it, so the first analysis reads the models instead of embedding
    ~5,000 training sentences and fitting six regressions (~12 s CPU).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> prepare_lens_models(get_embedder("static"))
    """
    from workbench.analysis.lenses import default_lenses

    for name, lens in default_lenses().items():
        if name in _ALL_LENSES:
            lens_model(lens, embedder)


def label_probabilities(vectors: np.ndarray, lens: Lens, embedder: Any, texts: Sequence[str] | None = None,
                        model: LensModel | None = None) -> np.ndarray:
    """Return an ``(n_units, n_labels)`` array of the model's probabilities, columns in ``lens.labels`` order.

    With ``texts`` the word model takes part (pass them: it is half the model); without, the
    embedding model alone. ``model`` replaces the packaged one (cross-validation fits its own).
    Labels without training sentences get 0; a lens without a model gets all zeros (so the score
    falls back to cues and description similarity).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> from workbench.analysis.lenses import default_lenses
        >>> embedder = get_embedder("static")
        >>> lens = default_lenses()["dimension"]
        >>> texts = ["they charged me a £40 fee"]
        >>> p = label_probabilities(embedder.encode(texts), lens, embedder, texts)
        >>> list(lens.labels)[int(p.argmax())]
        'pricing'
    """
    units = _unit_rows(vectors)
    if texts is not None and len(texts) != units.shape[0]:
        raise WorkbenchError(f"lenses: {len(texts)} texts but {units.shape[0]} vectors; pass one vector per text")
    result = np.zeros((units.shape[0], len(lens.labels)), dtype=np.float32)
    if units.shape[0] == 0:
        return result
    model = model if model is not None else lens_model(lens, embedder)
    if model is None:
        return result
    expected = model.embedding_model.n_features_in_ if model.embedding_model is not None else units.shape[1]
    if expected != units.shape[1]:
        raise WorkbenchError(
            f"lenses: the passages have {units.shape[1]} dimensions but the lens model of "
            f"{getattr(embedder, 'model_id', 'the embedder')} expects {expected}; embed both with the same model"
        )
    probabilities = model.probabilities(texts, units)
    column = {label: index for index, label in enumerate(lens.labels)}
    for index, label in enumerate(model.labels):
        if label in column:
            result[:, column[label]] = probabilities[:, index]
    return result

"""Reading a long complaint for its lens: the sentences that say what went wrong, not the ones around them.

Real complaints are not one sentence. A review or an interview answer wraps its problem in
background ("I've been with them eight years", "I'm a nurse so I work nights"), feelings ("Absolutely
shocking."), verdicts and calls to action ("Avoid!", "Sort it out."). Scored as one text, those
sentences pull the lens off the complaint: "we've been customers for years" reads as loyalty, "never
again" as leaving. Wrapping the held-out sentences of ``tests/data`` in such sentences took MiniLM's
dimension accuracy from 81% to 66% and stage from 75% to 62% (BENCHMARKS.md "Lens accuracy on long
complaints").

:func:`focus_texts` splits a unit into sentences (:func:`~workbench.analysis.passages.split_sentences`)
and leaves out the ones a small word model calls *filler*: a logistic regression over word and
character n-grams, trained on the lens training sentences (each says what went wrong) against
``lens_filler.csv`` (sentences that carry no lens information: background, emotion, verdicts, calls to
action, openers and sign-offs, interview filler, remarks about the review itself). A unit of one
sentence is never changed, and at least one sentence (the least filler-like) always stays, so a
unit is never emptied. The lenses then read the kept sentences (cues, word model and embedding).

Example:
    >>> texts = ["I've been with them since 2011. The app logged me out at checkout. Never again."]
    >>> focus_texts(texts)
    ['The app logged me out at checkout.']
"""
from __future__ import annotations

import csv
import functools
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis.passages import split_sentences
from workbench.errors import WorkbenchError

#: sentences that say nothing about what went wrong, when or where (column ``sentence``)
FILLER_FILE = Path(__file__).with_name("lens_filler.csv")
#: a sentence of a longer unit is left out when the filler model gives it at least this probability.
#: High on purpose: on the 60 long complaints of ``tests/data/lens_long_dev.csv`` 0.5 also dropped short
#: sentences that carry the complaint ("I pressed zero, nothing happened.") and cost 3–5 points per
#: lens; at 0.9 none of their labels changes and the wrapped held-out sentences still gain 2–5 points.
#: 0.85 since round 8 of training data (its loyalty texts speak of tenure, so background such as "I've banked
#: with them for twenty years" scores ~0.9): on the dev file stage 90.0% → 91.7% against 0.9, wrapped
#: sentences dimension 70.9% → 73.5%, stage 66.5% → 69.6% (MiniLM, 2026-12-07).
FILLER_THRESHOLD = 0.85
#: inverse regularisation of the filler regression
FILLER_C = 10.0


def filler_sentences() -> list[str]:
    """Return the sentences of :data:`FILLER_FILE`.

    Raises:
        WorkbenchError: when the file is missing or has no ``sentence`` column.

    Example:
        >>> len(filler_sentences()) > 100
        True
    """
    if not FILLER_FILE.is_file():
        raise WorkbenchError(f"lenses: the filler file {FILLER_FILE} is missing; reinstall the package")
    with FILLER_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if "sentence" not in (reader.fieldnames or []):
            raise WorkbenchError(f"lenses: {FILLER_FILE.name} has no 'sentence' column")
        return [row["sentence"].strip() for row in reader if (row.get("sentence") or "").strip()]


def filler_model_path() -> Path:
    """Where the fitted filler model is kept, named by what it depends on (the training and filler
    files, :data:`FILLER_C` and scikit-learn's version): any change gives a new file.

    Example:
        >>> filler_model_path().name.startswith("lens-filler-")
        True
    """
    import hashlib

    import sklearn

    from workbench.analysis.embedders.minilm_onnx import default_model_dir
    from workbench.analysis.lens_model import TRAINING_FILES

    digest = hashlib.sha256()
    for path in (*TRAINING_FILES, FILLER_FILE):
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    digest.update(repr((FILLER_C, "informative: one-sentence training texts", sklearn.__version__)).encode())
    return default_model_dir() / f"lens-filler-{digest.hexdigest()[:16]}.pickle"


def _fit_filler_model() -> Any:
    """Fit the filler regression: the lens training sentences (informative) against the filler file."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from workbench.analysis.lens_model import _lexical_features, training_sentences

    # one-sentence texts only: the training files' longer texts carry background around their complaint
    # ("I've banked with them for twenty years. The app...") that must not count as informative
    informative = list(dict.fromkeys(t for lens in ("dimension", "stage") for t in training_sentences(lens)[0]
                                     if len(split_sentences(t)) <= 1))
    filler = filler_sentences()
    model = make_pipeline(_lexical_features(),
                          LogisticRegression(C=FILLER_C, class_weight="balanced", max_iter=2000))
    model.fit(informative + filler, [0] * len(informative) + [1] * len(filler))
    return model


@functools.lru_cache(maxsize=1)
def _filler_model() -> Any:
    """The fitted filler regression: read from :func:`filler_model_path`, or fitted (~4 s CPU) and
    written there for the next process (a read-only folder only costs the reuse)."""
    import pickle

    path = filler_model_path()
    try:
        with path.open("rb") as handle:
            # written by this package into the environment's (or the user's) model folder
            model = pickle.load(handle)  # noqa: S301
        if hasattr(model, "predict_proba"):
            return model
    except Exception:  # noqa: BLE001 - missing, truncated or of another scikit-learn: fit again
        pass
    model = _fit_filler_model()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".lens-filler-", suffix=".pickle", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            pickle.dump(model, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError:
        pass
    return model


def prepare_filler_model() -> None:
    """Fit the filler model (or read it) and keep it on disk; ``workbench prepare`` calls it.

    Example:
        >>> prepare_filler_model()
        >>> filler_model_path().is_file()
        True
    """
    _filler_model()


def filler_probabilities(sentences: Sequence[str]) -> np.ndarray:
    """Probability that each sentence is filler (says nothing of what went wrong, when or where).

    Example:
        >>> p = filler_probabilities(["Absolutely shocking.", "the courier left my parcel in the rain"])
        >>> bool(p[0] > 0.5 > p[1])
        True
    """
    if len(sentences) == 0:
        return np.zeros(0)
    return _filler_model().predict_proba([str(s) for s in sentences])[:, 1]


def focus_texts(texts: Sequence[str], threshold: float = FILLER_THRESHOLD) -> list[str]:
    """Each text with its filler sentences left out (a one-sentence text is returned as it is).

    Example:
        >>> focus_texts(["Long story short. They charged me twice for one month.", "Never again."])
        ['They charged me twice for one month.', 'Never again.']
    """
    spans = [split_sentences(str(text)) for text in texts]
    sentences = [str(text)[a:b] for text, found in zip(texts, spans) if len(found) > 1 for a, b in found]
    probabilities = iter(filler_probabilities(sentences))
    focused = []
    for text, found in zip(texts, spans):
        if len(found) <= 1:
            focused.append(str(text))
            continue
        scored = [(next(probabilities), str(text)[a:b]) for a, b in found]
        kept = [sentence for probability, sentence in scored if probability < threshold]
        focused.append(" ".join(kept) if kept else min(scored)[1])
    return focused

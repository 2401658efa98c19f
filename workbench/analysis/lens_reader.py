"""The lens reader: MiniLM itself, adapted to name a sentence's CX dimension and journey stage.

The lens model (:mod:`workbench.analysis.lens_model`) fits regressions on the frozen sentence
vector and on words. The reader reads the sentence again with the same all-MiniLM-L6-v2 whose
attention and feed-forward projections carry low-rank adapters (LoRA, rank :data:`RANK`) trained
on the same labelled sentences, followed by one linear head per lens. Only the adapters and the
heads are packaged (``lens_reader.npz``, float16, trained by ``benchmarks/train_lens_reader.py``;
``lens_reader.json`` records how). ``workbench prepare`` merges them into the bundled weights and
exports the result to ONNX next to the embedder's model, so at run time the reader costs one
more ONNX pass over the passages whose lenses are scored, and no torch.

Its probabilities are added to a passage's lens scores with :data:`READER_WEIGHT` (chosen on two
held-back industry folds, see the training script) when the study embeds with MiniLM and the lens
has the default labels; with the static embedder, or a lens whose labels a study changed, the
scores are what they were without it.

Example:
    >>> sorted(reader_labels())
    ['dimension', 'stage']
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis.embedders.minilm_onnx import MiniLMOnnxEmbedder
from workbench.errors import WorkbenchError

__all__ = [
    "READER_FILE", "READER_INFO", "READER_LENSES", "READER_WEIGHT", "LensReader", "adapted_encoder", "adapter_arrays",
    "columns_for", "export_reader_onnx", "reader_labels", "reader_onnx_path", "reader_probabilities", "torch_reader",
    "training_digest", "uses_reader",
]

#: The packaged adapters and heads (float16), and how they were trained.
READER_FILE = Path(__file__).with_name("lens_reader.npz")
READER_INFO = Path(__file__).with_name("lens_reader.json")
#: The lenses the reader has a head for (touchpoint is named by a sentence's words: cues do it).
READER_LENSES = ("dimension", "stage")
#: Weight of the reader's probabilities in a passage's score, next to the lens model's, per lens.
#: Chosen on industry folds 8-9 with the rank-16, four-epoch reader: weights 1-6 gave dimension
#: 83.8-84.4% (best at 3) and stage 82.7-84.1% (best at 4) (BENCHMARKS.md, "Reader: a fourth epoch").
READER_WEIGHT = {"dimension": 3.0, "stage": 4.0}
#: Adapter rank and scale (the adapter adds ``ALPHA / RANK * B @ A`` to a projection's weight). Rank 16
#: beat rank 8 on industry folds 8-9 (reader alone: stage 80.4 -> 81.8%, dimension 81.1 -> 82.7%).
RANK = 16
ALPHA = 32
HIDDEN = 384
#: Word pieces a sentence is cut to in training (the exported reader reads up to 256, as the embedder).
TRAINING_TOKENS = 64
#: The projections given adapters, by their name inside a BERT layer.
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")
#: Version of the reader's export (part of the ONNX folder's name).
READER_RECIPE = 1

_READERS: dict[str, LensReader] = {}
_LAST: list[Any] = []  # (texts key, probabilities by lens): score_lenses asks once per lens for the same texts


def reader_labels() -> dict[str, list[str]]:
    """The default labels of each lens the reader names, in the order of its heads' outputs.

    Example:
        >>> reader_labels()["stage"][0]
        'awareness'
    """
    from workbench.analysis.lenses import default_lenses

    lenses = default_lenses()
    return {name: list(lenses[name].labels) for name in READER_LENSES}


def training_digest() -> str:
    """16 hex digits of the training files' bytes: ``lens_reader.json`` records the digest it was trained on.

    Example:
        >>> len(training_digest())
        16
    """
    from workbench.analysis.lens_model import TRAINING_FILES

    digest = hashlib.sha256()
    for path in TRAINING_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _base_transformer() -> Any:
    """The bundled all-MiniLM-L6-v2 transformer (torch, offline)."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    from workbench.analysis.embedders.minilm_onnx import _weights_folder

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    hf_logging.disable_progress_bar()
    return AutoModel.from_pretrained(str(_weights_folder()), attn_implementation="eager")


def adapted_encoder() -> Any:
    """MiniLM with a trainable rank-:data:`RANK` adapter on every projection of :data:`ADAPTED`, the rest frozen.

    Example:
        >>> encoder = adapted_encoder()  # doctest: +SKIP
        >>> sum(p.numel() for p in encoder.parameters() if p.requires_grad)  # doctest: +SKIP
        331776
    """
    import torch

    class Adapted(torch.nn.Module):
        """A frozen linear projection plus ``ALPHA / RANK * B @ A`` (B starts at zero: no change at first)."""

        def __init__(self, base: Any) -> None:
            super().__init__()
            self.base = base
            self.A = torch.nn.Parameter(torch.randn(RANK, base.in_features) * 0.01)
            self.B = torch.nn.Parameter(torch.zeros(base.out_features, RANK))

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.A.T @ self.B.T) * (ALPHA / RANK)

    encoder = _base_transformer()
    for parameter in encoder.parameters():
        parameter.requires_grad = False
    for layer in encoder.encoder.layer:
        for dotted in ADAPTED:
            *path, name = dotted.split(".")
            parent = layer
            for part in path:
                parent = getattr(parent, part)
            setattr(parent, name, Adapted(getattr(parent, name)))
    return encoder


def adapter_arrays(encoder: Any) -> dict[str, np.ndarray]:
    """The adapters of :func:`adapted_encoder` as arrays named ``layer.<i>.<projection>.A``/``.B``."""
    arrays = {}
    for index, layer in enumerate(encoder.encoder.layer):
        for dotted in ADAPTED:
            module = layer.get_submodule(dotted)
            arrays[f"layer.{index}.{dotted}.A"] = module.A.detach().numpy().copy()
            arrays[f"layer.{index}.{dotted}.B"] = module.B.detach().numpy().copy()
    return arrays


def torch_tokenizer() -> Any:
    """The bundled MiniLM's tokenizer (transformers), for training."""
    from transformers import AutoTokenizer

    from workbench.analysis.embedders.minilm_onnx import _weights_folder

    return AutoTokenizer.from_pretrained(str(_weights_folder()))


def mean_pooled(encoder: Any, tokenizer: Any, texts: list[str]) -> Any:
    """Mean-pooled last hidden states of ``texts`` (torch tensor), cut at :data:`TRAINING_TOKENS` word pieces."""
    batch = tokenizer(texts, padding=True, truncation=True, max_length=TRAINING_TOKENS, return_tensors="pt")
    hidden = encoder(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1)


def _read_arrays() -> dict[str, np.ndarray]:
    """The packaged adapters and heads as float32, or a clear error naming the file."""
    if not READER_FILE.is_file():
        raise WorkbenchError(f"lens reader: {READER_FILE} is missing; reinstall the package or run benchmarks/train_lens_reader.py")
    with np.load(READER_FILE) as stored:
        return {name: stored[name].astype(np.float32) for name in stored.files}


def _merged_module(arrays: dict[str, np.ndarray]) -> Any:
    """The bundled MiniLM with the adapters merged into its weights, mean pooling and both heads' logits, one row each."""
    import torch

    from workbench.analysis.embedders.minilm_onnx import mean_pooled_module

    transformer = _base_transformer().eval()
    with torch.no_grad():
        for index, layer in enumerate(transformer.encoder.layer):
            for dotted in ADAPTED:
                linear = layer.get_submodule(dotted)
                low_rank = arrays[f"layer.{index}.{dotted}.B"] @ arrays[f"layer.{index}.{dotted}.A"]
                linear.weight += torch.from_numpy(low_rank * (ALPHA / RANK))
    head = torch.nn.Linear(HIDDEN, sum(len(labels) for labels in reader_labels().values()))
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(np.vstack([arrays[f"head.{lens}.weight"] for lens in READER_LENSES])))
        head.bias.copy_(torch.from_numpy(np.concatenate([arrays[f"head.{lens}.bias"] for lens in READER_LENSES])))
    return mean_pooled_module(transformer, head)


def _split(logits: np.ndarray) -> dict[str, np.ndarray]:
    """Both heads' logits, side by side, as each lens's probabilities (softmax per head)."""
    result, start = {}, 0
    for lens, labels in reader_labels().items():
        part = logits[:, start:start + len(labels)].astype(np.float64)
        start += len(labels)
        part = np.exp(part - part.max(axis=1, keepdims=True))
        result[lens] = (part / part.sum(axis=1, keepdims=True)).astype(np.float32)
    return result


def torch_reader(arrays: dict[str, np.ndarray] | None = None) -> Any:
    """A function from texts to each lens's probabilities, on torch (training checks; the run time uses ONNX).

    Example:
        >>> read = torch_reader()  # doctest: +SKIP
        >>> read(["the refund took six weeks"])["stage"].shape  # doctest: +SKIP
        (1, 7)
    """
    import torch

    module = _merged_module(arrays if arrays is not None else _read_arrays())
    tokenizer = torch_tokenizer()

    def read(texts: list[str]) -> dict[str, np.ndarray]:
        parts = []
        with torch.inference_mode():
            for start in range(0, len(texts), 128):
                batch = tokenizer(texts[start:start + 128], padding=True, truncation=True, max_length=256, return_tensors="pt")
                parts.append(module(batch["input_ids"], batch["attention_mask"]).numpy())
        return _split(np.vstack(parts) if parts else np.zeros((0, sum(map(len, reader_labels().values())))))

    return read


def reader_onnx_path(model_dir: Path | str | None = None, export: bool = True) -> Path:
    """The reader's ONNX file (exported from the packaged adapters if missing, unless ``export=False``).

    The folder is named by the packaged weights' bytes, the export recipe and the embedder's
    export key, so new adapters get a new file.

    Example:
        >>> reader_onnx_path(export=False).name
        'model.onnx'
    """
    from workbench.analysis.embedders.minilm_onnx import _export_key, _weights_folder, default_model_dir

    weights = READER_FILE.read_bytes() if READER_FILE.is_file() else b"missing"
    key = hashlib.sha256(weights + f"|{READER_RECIPE}|{_export_key(_weights_folder())}".encode()).hexdigest()[:16]
    folder = Path(model_dir) if model_dir is not None else default_model_dir()
    path = folder / f"lens-reader-{key}" / "model.onnx"
    if export and not path.exists():
        export_reader_onnx(path)
    return path


def export_reader_onnx(target: Path | str) -> dict[str, Any]:
    """Merge the packaged adapters into MiniLM, export it with its heads to ``target`` (checked against torch).

    Example:
        >>> export_reader_onnx(Path("/tmp/reader/model.onnx"))["max_abs_difference"] < 1e-3  # doctest: +SKIP
        True
    """
    from workbench.analysis.embedders.minilm_onnx import export_checked

    target = Path(target)
    try:
        import onnx  # noqa: F401  (torch's exporter writes the file with it)
        import torch
    except ImportError as error:
        raise WorkbenchError(
            f"exporting the lens reader to ONNX needs {error.name}, which is not installed; run "
            "`pip install torch transformers onnx onnxruntime`"
        ) from error
    difference = export_checked(_merged_module(_read_arrays()), target, "logits", "the lens reader")
    info = {"reader": READER_FILE.name, "recipe": READER_RECIPE, "torch": torch.__version__, "max_abs_difference": difference,
            "labels": reader_labels()}
    (target.parent / "export.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


class LensReader(MiniLMOnnxEmbedder):
    """The exported reader on ONNX Runtime: the embedder's tokenising and batching, another graph.

    Example:
        >>> LensReader().probabilities([])["stage"].shape
        (0, 7)
    """

    def _onnx_path(self) -> Path:
        return reader_onnx_path(self.model_dir)

    def probabilities(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each lens's ``(len(texts), n_labels)`` probabilities, columns in :func:`reader_labels` order."""
        width = sum(len(labels) for labels in reader_labels().values())
        return _split(self._outputs([str(text) for text in texts], width))


def columns_for(probabilities: np.ndarray, lens_name: str, labels: Sequence[str]) -> np.ndarray:
    """The reader's probabilities of one lens in ``labels`` order (a label it does not know gets 0).

    Example:
        >>> columns_for(np.array([[0.25, 0.75]]), "stage", ["nothing"]).tolist()
        [[0.0]]
    """
    known = {label: index for index, label in enumerate(reader_labels()[lens_name])}
    result = np.zeros((probabilities.shape[0], len(labels)), dtype=np.float32)
    for column, label in enumerate(labels):
        if label in known and known[label] < probabilities.shape[1]:
            result[:, column] = probabilities[:, known[label]]
    return result


def uses_reader(embedder: Any, lens_name: str, labels: Sequence[str]) -> bool:
    """Whether the reader takes part: a MiniLM embedder, a lens it reads, the lens's default labels.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> uses_reader(get_embedder("static"), "stage", reader_labels()["stage"])
        False
    """
    if lens_name not in READER_LENSES or list(labels) != reader_labels()[lens_name]:
        return False
    if importlib.util.find_spec("onnxruntime") is None:  # the torch-only install: the lens model alone
        return False
    return str(getattr(embedder, "model_id", "")).startswith("minilm")


def reader_probabilities(texts: Sequence[str], lens_name: str, labels: Sequence[str], embedder: Any) -> np.ndarray | None:
    """The reader's ``(len(texts), len(labels))`` probabilities for one lens, or ``None`` where it takes no part.

    The pass reads both lenses at once; the last texts' result is kept, so the stage lens
    reuses what the dimension lens ran.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> reader_probabilities(["a fee"], "stage", reader_labels()["stage"], get_embedder("static")) is None
        True
    """
    if not uses_reader(embedder, lens_name, labels):
        return None
    texts = [str(text) for text in texts]
    key = hashlib.sha256("\x1f".join(texts).encode()).hexdigest()
    if not _LAST or _LAST[0] != key:
        wrapped = getattr(embedder, "embedder", embedder)  # a CachedEmbedder wraps the study's embedder
        model_dir = getattr(wrapped, "model_dir", None)  # the reader lives beside the embedder's own model
        reader = _READERS.setdefault(str(model_dir), LensReader(model_dir=model_dir))
        _LAST[:] = [key, reader.probabilities(texts)]
    return columns_for(_LAST[1][lens_name], lens_name, labels)

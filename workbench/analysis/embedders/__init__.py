"""Embedders, one module each, and :func:`get_embedder` to pick one by name.

Passages are turned into unit-length vectors by an :class:`~.base.Embedder`; pain points,
lenses and personas only ever see the vectors. Two embedders ship with the workbench, both
run offline from models that come inside PyPI packages (nothing is downloaded at run time):

* :class:`~.minilm.MiniLMEmbedder` (``"minilm"``, the default): all-MiniLM-L6-v2,
  384 dimensions, best quality.
* :class:`~.static.StaticEmbedder` (``"static"``): wordllama's 256-dimension static token
  embeddings, numpy only, thousands of sentences a second; good for quick looks and tests.

A new embedder is a small module here with a class that has ``model_id``, ``dimension`` and
``encode`` (see :mod:`.base`), plus one entry in :data:`EMBEDDERS`. Importing this package is
cheap: torch, sentence-transformers and wordllama are imported inside the methods that need them.

Example:
    >>> get_embedder("static").dimension
    256
"""
from __future__ import annotations

from typing import Any

from workbench.analysis.embedders.base import Embedder
from workbench.analysis.embedders.minilm import MiniLMEmbedder
from workbench.analysis.embedders.static import StaticEmbedder
from workbench.errors import WorkbenchError

__all__ = ["EMBEDDERS", "Embedder", "MiniLMEmbedder", "StaticEmbedder", "get_embedder"]

#: Embedder names accepted by :func:`get_embedder` (and ``study.toml``).
EMBEDDERS: dict[str, type] = {"minilm": MiniLMEmbedder, "static": StaticEmbedder}


def get_embedder(name: str, **options: Any) -> Embedder:
    """Build the embedder called ``name`` (``"minilm"`` or ``"static"``) with ``options``.

    Example:
        >>> get_embedder("minilm", batch_size=32)
        MiniLMEmbedder(batch_size=32, max_seq_length=256, num_threads=None, show_progress=None, tokens_per_batch=4096)
        >>> get_embedder("bert")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: unknown embedder 'bert'; choose one of: minilm, static
    """
    key = str(name).strip().lower()
    if key not in EMBEDDERS:
        raise WorkbenchError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
    cls = EMBEDDERS[key]
    try:
        return cls(**options)
    except TypeError as error:
        import inspect

        accepted = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        raise WorkbenchError(
            f"embedder {key!r}: {error}; the options it accepts are: {', '.join(accepted)}"
        ) from error

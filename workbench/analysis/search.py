"""Search a study's evidence by meaning: the customers' own words nearest a question.

:class:`EvidenceSearch` opens a results folder once: the analysed units (redacted passages, or
the redacted feedback items of ``workbench cluster``), where each came from (participant, source
file, turn), the pain point it belongs to, and its vector, read back from the embedding cache the
analysis filled (``cache/embeddings.sqlite``). :meth:`EvidenceSearch.query` embeds the question
with the embedder the manifest records (loaded on the first query only; no other model) and
returns the nearest quotes by cosine similarity. Interviewer and agent turns are never among
them, and only redacted text is read: the segments' raw ``text`` column is never loaded.

The vectors are the analysis' own, so a question finds what the pain points were built from; a
unit whose vector is missing from the cache (a deleted cache, say) is embedded once and cached.
When the results are replaced by a new analysis, the next query reloads them.

Example:
    >>> search = EvidenceSearch("interview_data/.workbench")  # doctest: +SKIP
    >>> search.query("refund took weeks", k=3)[["participant_id", "source_id", "turn", "label"]]  # doctest: +SKIP
"""
from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.storage.files import recover_results

__all__ = ["QUOTE_COLUMNS", "EvidenceSearch", "SearchError", "describe_quote", "format_quotes"]

MANIFEST_FILE = "manifest.json"
PASSAGES_FILE = "passages.parquet"
SEGMENTS_FILE = "segments.parquet"
ASSIGNMENTS_FILE = "assignments.parquet"
PAINPOINTS_FILE = "painpoints.parquet"
CACHE_FILE = "cache/embeddings.sqlite"
#: the only segment columns read: never ``text`` (the unredacted words)
SEGMENT_COLUMNS = ("segment_id", "role", "turn", "item_id", "participant_id", "source_id", "source_kind",
                   "text_redacted", "has_text")
#: roles whose words are never evidence of what customers said
NOT_CUSTOMERS = ("interviewer", "agent")
#: the columns of :meth:`EvidenceSearch.query`, in order
QUOTE_COLUMNS = ["rank", "score", "quote", "participant_id", "source_id", "turn", "item_id", "source_kind",
                 "painpoint_id", "label", "statement", "kind", "passage_id", "segment_id"]
#: questions whose vectors are kept in memory (a repeated search costs no model call)
_REMEMBERED_QUESTIONS = 256


class SearchError(WorkbenchError):
    """The results cannot be searched (none yet, made by another embedder, unreadable), or a bad question.

    Example:
        >>> str(SearchError("no results yet"))
        'no results yet'
    """


@dataclass
class _Evidence:
    """What one load of a results folder gives: the units, their vectors (unit rows) and notes."""

    units: pd.DataFrame
    matrix: np.ndarray
    stamp: tuple[int, int]
    info: dict[str, Any] = field(default_factory=dict)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _read_columns(path: Path, wanted: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The ``wanted`` columns of a Parquet table that it has (others are never read)."""
    import pyarrow.parquet as pq

    try:
        present = set(pq.read_schema(path).names)
        return pd.read_parquet(path, columns=[c for c in wanted if c in present])
    except (OSError, ValueError) as error:
        raise SearchError(f"{path}: could not be read ({error}); run `workbench analyze STUDY` again") from error


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _question_embedder(name: str) -> Any:
    """The embedder called ``name``, on one thread where it has the option.

    One thread: a single short question gains nothing from two, and on a busy machine two threads
    that wait for each other take 10-20 times longer (``benchmarks/search_latency.py``).
    """
    import inspect

    from workbench.analysis.embedders import EMBEDDERS, get_embedder

    accepts = inspect.signature(EMBEDDERS.get(name.strip().lower(), object)).parameters
    return get_embedder(name, **({"num_threads": 1} if "num_threads" in accepts else {}))


class EvidenceSearch:
    """The quotes of one results folder nearest a question, by meaning.

    Opening reads the tables and the vectors (no model); the first :meth:`query` loads the
    embedder the manifest names, later ones reuse it. Keep one object per results folder.

    Args:
        results_dir: the results folder of ``workbench analyze`` (``STUDY/.workbench``) or of
            ``workbench cluster``.
        embedder: an :class:`~workbench.analysis.embedders.base.Embedder` to use instead of building
            the one the manifest names; its ``model_id`` must match the manifest's.

    Raises:
        SearchError: the folder holds no results (run ``workbench analyze``), or they were made by
            an embedder this workbench cannot build.

    Example:
        >>> EvidenceSearch("/nowhere")
        Traceback (most recent call last):
        ...
        workbench.analysis.search.SearchError: /nowhere: no analysis results yet; run `workbench analyze STUDY` first (or pass the results folder)
    """

    def __init__(self, results_dir: Path | str, embedder: Any = None) -> None:
        self.results_dir = Path(results_dir)
        self.embedder_ = embedder
        self._questions: dict[str, np.ndarray] = {}
        self._evidence = self._load()

    # ------------------------------------------------------------------ loading

    def _manifest(self) -> dict[str, Any]:
        path = self.results_dir / MANIFEST_FILE
        recover_results(self.results_dir)  # a run killed mid-commit: finish or undo it before reading
        if not path.is_file():
            raise SearchError(
                f"{self.results_dir}: no analysis results yet; run `workbench analyze STUDY` first "
                "(or pass the results folder)"
            )
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SearchError(f"{path}: unreadable ({error}); run `workbench analyze STUDY` again") from error

    def _embedder(self, manifest: dict[str, Any]) -> Any:
        """The embedder the analysis used (built once; its model loads on the first encode).

        The manifest names it (``options.embedder``) and records its ``model_id`` (``info.embedder``).
        When the name now builds another model than the one recorded (the default embedder
        changed since the analysis), the registered embedder with the recorded ``model_id`` is used.
        """
        recorded = (manifest.get("info") or {}).get("embedder")
        if self.embedder_ is None:
            from workbench.analysis.embedders import EMBEDDERS

            named = str((manifest.get("options") or {}).get("embedder") or "minilm")
            others = [name for name in EMBEDDERS if name != named.strip().lower()] if recorded else []
            problem: WorkbenchError | None = None
            for name in [named, *others]:
                try:
                    candidate = _question_embedder(name)
                except WorkbenchError as error:
                    problem = problem or error
                    continue
                if not recorded or candidate.model_id == recorded:
                    self.embedder_ = candidate
                    break
            else:
                known = ", ".join(EMBEDDERS)
                raise SearchError(
                    f"{self.results_dir / MANIFEST_FILE}: these results were embedded with {recorded or named}, "
                    f"which this workbench cannot build ({problem or 'its embedders: ' + known}); "
                    "run `workbench analyze STUDY` again"
                )
        if recorded and recorded != self.embedder_.model_id:
            raise SearchError(
                f"{self.results_dir / MANIFEST_FILE}: these results were embedded with {recorded}, but the search "
                f"would embed questions with {self.embedder_.model_id}; run `workbench analyze STUDY` again"
            )
        return self.embedder_

    def _units(self) -> tuple[pd.DataFrame, int]:
        """One row per analysed unit (redacted text, origin, pain point); and how many non-customer units were left out."""
        folder = self.results_dir
        segments = _read_columns(folder / SEGMENTS_FILE, SEGMENT_COLUMNS) if (folder / SEGMENTS_FILE).is_file() else None
        if (folder / PASSAGES_FILE).is_file():
            units = _read_columns(folder / PASSAGES_FILE, ["passage_id", "segment_id", "text", "participant_id",
                                                           "source_id", "source_kind"])
        elif segments is not None and "text_redacted" in segments.columns:  # `workbench cluster`: one unit per item
            units = segments
            if "has_text" in units.columns:
                units = units[units["has_text"].fillna(False).astype(bool)]
            units = units.assign(passage_id=units["segment_id"].astype(str) + "-1",
                                 text=units["text_redacted"].fillna(""))
        else:
            raise SearchError(f"{folder}: no {PASSAGES_FILE} to search; run `workbench analyze STUDY` again")
        units = units.drop(columns=["text_redacted", "has_text"], errors="ignore").reset_index(drop=True)
        if segments is not None and "segment_id" in units.columns:
            origin = segments.drop(columns=["text_redacted", "has_text"], errors="ignore").drop_duplicates("segment_id")
            units = units.drop(columns=[c for c in ("role", "turn", "item_id") if c in units.columns])
            units = units.merge(origin, on="segment_id", how="left", suffixes=("", "_segment"))
            for column in ("participant_id", "source_id", "source_kind"):
                if f"{column}_segment" in units.columns:
                    units[column] = units[column].fillna(units.pop(f"{column}_segment"))
        roles = units["role"] if "role" in units.columns else pd.Series(pd.NA, index=units.index, dtype="object")
        not_customer = roles.isin(NOT_CUSTOMERS).fillna(False).astype(bool)
        units = units[~not_customer].reset_index(drop=True)
        return self._with_painpoints(units), int(not_customer.sum())

    def _with_painpoints(self, units: pd.DataFrame) -> pd.DataFrame:
        folder = self.results_dir
        if (folder / ASSIGNMENTS_FILE).is_file():
            assignments = _read_columns(folder / ASSIGNMENTS_FILE, ["passage_id", "segment_id", "painpoint_id"])
            key = "passage_id" if "passage_id" in assignments.columns else "segment_id"
            units = units.merge(assignments[[key, "painpoint_id"]].drop_duplicates(key), on=key, how="left")
        if (folder / PAINPOINTS_FILE).is_file() and "painpoint_id" in units.columns:
            painpoints = _read_columns(folder / PAINPOINTS_FILE, ["painpoint_id", "label", "statement", "kind"])
            units = units.merge(painpoints.drop_duplicates("painpoint_id"), on="painpoint_id", how="left")
        for column in QUOTE_COLUMNS:
            if column not in units.columns and column not in ("rank", "score", "quote"):
                units[column] = None
        return units

    def _load(self) -> _Evidence:
        from workbench.analysis.embed import embed_texts
        from workbench.analysis.embedding_cache import EmbeddingCache

        manifest = self._manifest()
        stamp = _stamp(self.results_dir / MANIFEST_FILE)
        units, excluded = self._units()
        embedder = self._embedder(manifest)
        texts = units["text"].fillna("").astype(str).tolist()
        cache = EmbeddingCache(self.results_dir / CACHE_FILE)
        try:
            found = cache.get_many(embedder.model_id, texts)
            dimension = int(embedder.dimension)
            matrix = np.zeros((len(texts), dimension), dtype=np.float32)
            missing = []
            for row in range(len(texts)):
                vector = found.get(row)
                if vector is not None and vector.shape == (dimension,):
                    matrix[row] = vector
                else:
                    missing.append(row)
            if missing:  # the cache lost them: embed once with the same model, and keep them
                matrix[missing] = embed_texts([texts[r] for r in missing], embedder, cache=cache, progress=False)
        finally:
            cache.close()
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        info = {"units": len(units), "interviewer_turns_left_out": excluded, "embedded_now": len(missing),
                "embedder": embedder.model_id}
        return _Evidence(units, (matrix / norms).astype(np.float32), stamp, info)

    def _current(self) -> _Evidence:
        """The loaded evidence, reloaded when a new analysis replaced the results since."""
        try:
            fresh = _stamp(self.results_dir / MANIFEST_FILE) == self._evidence.stamp
        except OSError:
            fresh = False
        if not fresh:
            self._evidence = self._load()
        return self._evidence

    def unit_vectors(self) -> tuple[pd.DataFrame, np.ndarray]:
        """The searchable units and their unit-length vectors (row ``i`` of the matrix is unit ``i``).

        Reloaded first when a new analysis replaced the results since the last call, so callers
        that rank passages themselves (``workbench.coding.similar``) see what ``query`` sees.

        Example:
            >>> units, matrix = EvidenceSearch("interview_data/.workbench").unit_vectors()  # doctest: +SKIP
            >>> len(units) == matrix.shape[0]  # doctest: +SKIP
            True
        """
        evidence = self._current()
        return evidence.units, evidence.matrix

    @property
    def info(self) -> dict[str, Any]:
        """What was loaded: units, interviewer turns left out, vectors embedded now, the embedder.

        Example:
            >>> EvidenceSearch("interview_data/.workbench").info  # doctest: +SKIP
            {'units': 687, 'interviewer_turns_left_out': 0, 'embedded_now': 0, 'embedder': 'minilm:all-MiniLM-L6-v2:max_seq_256'}
        """
        return dict(self._evidence.info)

    # ------------------------------------------------------------------ asking

    def _question_vector(self, question: str) -> np.ndarray:
        vector = self._questions.get(question)
        if vector is None:
            vector = np.asarray(self.embedder_.encode([question]), dtype=np.float32)[0]
            norm = float(np.linalg.norm(vector))
            vector = vector / norm if norm else vector
            if len(self._questions) >= _REMEMBERED_QUESTIONS:
                self._questions.pop(next(iter(self._questions)))
            self._questions[question] = vector
        return vector

    def query(self, text: str, k: int = 10) -> pd.DataFrame:
        """The ``k`` quotes nearest ``text`` in meaning, best first (columns :data:`QUOTE_COLUMNS`).

        ``score`` is the cosine similarity (1 = same meaning). ``quote`` is the redacted unit
        text; ``turn`` the turn in the transcript (or data row of a feedback file); ``label``,
        ``statement`` and ``kind`` describe the pain point the quote belongs to.

        Example:
            >>> search = EvidenceSearch("interview_data/.workbench")  # doctest: +SKIP
            >>> search.query("refund took weeks", k=2)["label"].tolist()  # doctest: +SKIP
            ['No refund, skylark credit', 'No refund, skylark credit']
        """
        question = " ".join(str(text if text is not None else "").split())
        if not question:
            raise SearchError("type a few words to search for, e.g. \"refund took weeks\"")
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise SearchError(f"k={k!r}: pass how many quotes to show, a whole number of at least 1")
        evidence = self._current()
        if evidence.matrix.shape[0] == 0:
            return pd.DataFrame(columns=QUOTE_COLUMNS)
        scores = evidence.matrix @ self._question_vector(question)
        k = min(int(k), len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # best first; ties in the results' own order
        hits = evidence.units.iloc[top].copy()
        hits.insert(0, "score", np.round(scores[top].astype(float), 4))
        hits.insert(0, "rank", range(1, len(hits) + 1))
        hits["quote"] = hits["text"].astype(str)
        return hits[QUOTE_COLUMNS].reset_index(drop=True)

    def __repr__(self) -> str:
        return f"EvidenceSearch({str(self.results_dir)!r})"


def describe_quote(row: dict[str, Any]) -> tuple[str, str, str]:
    """Who said a quote, where, and its pain point, in words: one row of :meth:`EvidenceSearch.query`.

    ``who`` is the participant (an interviewee) or the feedback item's id; ``where`` the source file
    with the turn of a transcript or the data row of a feedback file; the pain point is its id with
    its statement (its label in results without statements) and its kind when it is not a pain.

    Example:
        >>> describe_quote({"participant_id": "P03", "source_id": "transcripts/interview_03.txt", "turn": 12,
        ...     "source_kind": "interview", "painpoint_id": "PP07", "label": "No refund", "kind": "pain",
        ...     "statement": "I waited six weeks for my refund"})
        ('P03', 'transcripts/interview_03.txt, turn 12', 'PP07 · I waited six weeks for my refund')
        >>> describe_quote({"item_id": "R-17", "source_id": "feedback/reviews.csv", "turn": 4,
        ...     "source_kind": "feedback", "painpoint_id": "PP12", "label": "Skylark care", "kind": "delight"})
        ('item R-17', 'feedback/reviews.csv, row 4', 'PP12 · Skylark care (delight)')
    """
    item = _text_or_none(row.get("item_id"))
    who = _text_or_none(row.get("participant_id")) or (f"item {item}" if item else "-")
    turn = _text_or_none(row.get("turn"))
    step = "row" if _text_or_none(row.get("source_kind")) == "feedback" else "turn"
    where = (_text_or_none(row.get("source_id")) or "?") + (f", {step} {turn}" if turn else "")
    painpoint_id = _text_or_none(row.get("painpoint_id"))
    name = _text_or_none(row.get("statement")) or _text_or_none(row.get("label")) or ""
    kind = _text_or_none(row.get("kind"))
    if painpoint_id is None:
        painpoint = "no pain point"
    elif painpoint_id == "other":
        painpoint = "Other (no pain point)"
    else:
        painpoint = f"{painpoint_id} · {name}" if name else painpoint_id
        if kind and kind not in ("pain", "mixed", "other"):
            painpoint += f" ({kind})"
    return who, where, painpoint


def format_quotes(quotes: pd.DataFrame, width: int = 100) -> str:
    """The quotes of :meth:`EvidenceSearch.query` as a plain-text table for a terminal, each quote whole.

    Example:
        >>> table = pd.DataFrame([{"rank": 1, "score": 0.71, "quote": "Six weeks and still no refund.",
        ...     "participant_id": "P03", "source_id": "transcripts/interview_03.txt", "turn": 12,
        ...     "painpoint_id": "PP07", "label": "Refunds take weeks"}])
        >>> print(format_quotes(table))
        #  score  who  where                                  pain point
        1   0.71  P03  transcripts/interview_03.txt, turn 12  PP07 · Refunds take weeks
           "Six weeks and still no refund."
    """
    header = ("#", "score", "who", "where", "pain point")
    rows = []
    for row in quotes.to_dict("records"):
        who, where, painpoint = describe_quote(row)
        cut = painpoint if len(painpoint) <= 70 else painpoint[:69] + "…"
        rows.append((str(row["rank"]), f"{float(row['score']):.2f}", who, where, cut, " ".join(str(row["quote"]).split())))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for index, row in enumerate([header, *rows]):
        lines.append("  ".join(c.rjust(w) if i == 1 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if index:
            indent = " " * (widths[0] + 2)
            lines.append(textwrap.fill(f'"{row[5]}"', width=width, initial_indent=indent, subsequent_indent=indent + " "))
    return "\n".join(lines)

"""Coding kept in the study's store: the shared codebook, the code assignments in force, and memos.

**Code assignments** are one coder's decisions about one passage (or a character span of it):
the store keeps every toggle, and the codes in force are the latest decision per
(coder, passage, code, span) (:func:`code_assignments`, one row per code in force). **Memos**
are a coder's notes on a passage, a code or the study (:func:`memo_table`). The codebook is
kept in the store too (:func:`store_codebook`, :func:`stored_codebook`) so every coder's kernel
sees the same codes. Inter-coder agreement lives in :mod:`workbench.rigour.agreement`.

Example:
    >>> ASSIGNMENT_COLUMNS[:4]
    ('coder', 'passage_id', 'segment_id', 'code_id')
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.coding.codebook import Code, Codebook

if TYPE_CHECKING:  # pragma: no cover - typing only
    from workbench.storage.store import Store

#: the columns of :func:`code_assignments`
ASSIGNMENT_COLUMNS = ("coder", "passage_id", "segment_id", "code_id", "char_start", "char_end", "origin", "created_at")


def store_codebook(store: Store, study: str, codebook: Codebook, author: str | None = None,
                   keep_existing: bool = False) -> int:
    """Save a codebook to the study's store; return how many codes changed.

    Writing the same codebook twice changes nothing. With ``keep_existing`` only codes the
    store does not have yet are added (a coder's kernel never overwrites shared edits).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> from workbench.coding.starter import starter_codebook
        >>> store_codebook(store, "s", starter_codebook()), store_codebook(store, "s", starter_codebook())
        (26, 0)
    """
    existing = {c.code_id for c in store.stored_codes(study)} if keep_existing else set()
    return sum(store.put_code(study, c.code_id, c.fields(), author=author) for c in codebook.codes
               if c.code_id not in existing)


def stored_codebook(store: Store, study: str, name: str = "Codebook") -> Codebook:
    """The study's codebook as the store holds it now (empty when none was saved).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> _ = store_codebook(store, "s", Codebook([Code("a", "Apples")]))
        >>> stored_codebook(store, "s").names()
        {'a': 'Apples'}
    """
    codes = [Code.from_fields(c.code_id, c.fields) for c in store.stored_codes(study)]
    ids = {c.code_id for c in codes}
    codes = [c if c.parent is None or c.parent in ids else replace(c, parent=None) for c in codes]  # parent removed
    return Codebook(codes, name=name, where=f"store ({study})")



def code_assignments(store: Store, study: str, coder: str | None = None, with_seen: bool = False) -> pd.DataFrame:
    """The codes in force: one row per (coder, passage, code, span) whose latest action is ``apply``.

    With ``with_seen`` a passage a coder touched but left without any code gets one row with an
    empty ``code_id`` ("seen, nothing applies"), which agreement statistics need.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> for action in ("apply", "apply", "remove", "apply"):
        ...     _ = store.record_coding("s", "dana", "p-1", "pricing", action)
        >>> _ = store.record_coding("s", "dana", "p-2", "pricing", "reject")
        >>> code_assignments(store, "s")[["coder", "passage_id", "code_id"]].values.tolist()
        [['dana', 'p-1', 'pricing']]
        >>> code_assignments(store, "s", with_seen=True)[["passage_id", "code_id"]].fillna("(seen)").values.tolist()
        [['p-1', 'pricing'], ['p-2', '(seen)']]
    """
    current = store.coding(study, coder=coder)
    rows = [{name: getattr(a, name) for name in ASSIGNMENT_COLUMNS} for a in current if a.action == "apply"]
    if with_seen:
        coded = {(r["coder"], r["passage_id"]) for r in rows}
        seen: dict[tuple[str, str], Any] = {}
        for a in current:
            if (a.coder, a.passage_id) not in coded:
                seen.setdefault((a.coder, a.passage_id), a)
        rows += [{"coder": a.coder, "passage_id": a.passage_id, "segment_id": a.segment_id, "code_id": None,
                  "char_start": None, "char_end": None, "origin": None, "created_at": a.created_at}
                 for a in seen.values()]
    frame = pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))
    for column in ("char_start", "char_end"):
        frame[column] = frame[column].astype("Int64")
    return frame


def memo_table(store: Store, study: str, coder: str | None = None) -> pd.DataFrame:
    """Current memos: coder, target_kind (passage/code/study), target_id, text, created_at.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> _ = store.set_memo("s", "dana", "code", "pricing", "split fees from prices?")
        >>> memo_table(store, "s")[["target_id", "text"]].values.tolist()
        [['pricing', 'split fees from prices?']]
    """
    columns = ["coder", "target_kind", "target_id", "text", "created_at"]
    return pd.DataFrame([{c: getattr(m, c) for c in columns} for m in store.memos(study, coder=coder)], columns=columns)

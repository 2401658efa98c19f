"""Qualitative coding records: the codebook's codes, code assignments (one coder's decision on one
passage or span of it) and memos.

Append-only like the curation edits: the current state is the latest row per key, so history
is never lost and writing what is already there stores nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Table, insert, select

from workbench.errors import WorkbenchError
from workbench.storage.connection import StoreConnection
from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import code_assignments_table, codes_table, memos_table

CODING_ACTIONS = ("apply", "remove", "reject")
MEMO_TARGETS = ("passage", "code", "study", "span")  # span: "SEGMENT:START-END" of a turn


@dataclass(frozen=True)
class StoredCode:
    """One code of a study's codebook as stored (``fields``: name, description, parent, colour…).

    Example:
        >>> StoredCode("pricing", {"name": "Pricing"}, "dana", None).fields["name"]
        'Pricing'
    """

    code_id: str
    fields: dict[str, Any]
    author: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class StoredCoding:
    """One coder's latest decision about one code on one passage (or a span of it).

    Example:
        >>> StoredCoding("dana", "p-1", "s-1", "pricing", None, None, "apply", None, None).action
        'apply'
    """

    coder: str
    passage_id: str
    segment_id: str | None
    code_id: str
    char_start: int | None
    char_end: int | None
    action: str
    origin: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class StoredMemo:
    """One coder's memo on a passage, a span of a turn, a code or the study.

    Example:
        >>> StoredMemo("dana", "passage", "p-1", "compare with P07", None).target_kind
        'passage'
    """

    coder: str
    target_kind: str
    target_id: str
    text: str
    created_at: datetime | None


class CodingRecordsMixin(StoreConnection):
    """The qualitative-coding methods of :class:`Store`: codes, code assignments, memos.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> store.record_coding("s", "dana", "p-1", "pricing"), [a.code_id for a in store.coding("s")]
        (True, ['pricing'])
    """

    def put_code(self, study: str, code_id: str, fields: dict[str, Any], author: str | None = None) -> bool:
        """Add or change one code of a study's codebook; return False when it already reads so.

        ``fields`` holds the code's name, description, parent, colour… (JSON-able). Writing
        the same fields twice stores one row: the codebook is the latest row per code.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.put_code("s", "pricing", {"name": "Pricing"}), store.put_code("s", "pricing", {"name": "Pricing"})
            (True, False)
            >>> [code.fields["name"] for code in store.stored_codes("s")]
            ['Pricing']
        """
        payload = json.dumps(fields, sort_keys=True)
        key = {"study": study, "code_id": code_id}
        return self._append_if_changed(codes_table, key, {"payload": payload, "removed": False, "author": author},
                                       compare=("payload", "removed"))

    def remove_code(self, study: str, code_id: str, author: str | None = None) -> bool:
        """Take a code out of the codebook (its history stays); return False when it was not in it.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.put_code("s", "pricing", {"name": "Pricing"})
            >>> store.remove_code("s", "pricing"), store.stored_codes("s")
            (True, [])
        """
        current = self._latest(codes_table, {"study": study, "code_id": code_id})
        if current is None or current["removed"]:
            return False
        return self._append_if_changed(codes_table, {"study": study, "code_id": code_id},
                                       {"payload": current["payload"], "removed": True, "author": author},
                                       compare=("removed",))

    def stored_codes(self, study: str) -> list[StoredCode]:
        """The current codes of a study, in the order they were first added.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).stored_codes("s")
            []
        """
        rows = self._current(codes_table, ("code_id",), codes_table.c.study == study)
        return [
            StoredCode(row["code_id"], json.loads(row["payload"]), row["author"], row["created_at"])
            for row in rows
            if not row["removed"]
        ]

    def record_coding(
        self,
        study: str,
        coder: str,
        passage_id: str,
        code_id: str,
        action: str = "apply",
        segment_id: str | None = None,
        char_start: int | None = None,
        char_end: int | None = None,
        origin: str | None = None,
    ) -> bool:
        """Record that ``coder`` applied, removed or rejected a code on a passage (or a span of it).

        ``action`` is ``apply``, ``remove`` or ``reject`` (a suggested code the coder turned
        down). The current state is the latest action per (coder, passage, code, span), so
        applying a code twice stores one row and returns False the second time.
        ``char_start``/``char_end`` are offsets into the passage's text (None: the whole passage).

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.record_coding("s", "dana", "p-1", "pricing"), store.record_coding("s", "dana", "p-1", "pricing")
            (True, False)
            >>> store.record_coding("s", "dana", "p-1", "pricing", "remove")
            True
            >>> [(a.code_id, a.action) for a in store.coding("s")]
            [('pricing', 'remove')]
        """
        if action not in CODING_ACTIONS:
            raise WorkbenchError(f"unknown coding action {action!r}; use one of {', '.join(CODING_ACTIONS)}")
        if not coder or not coder.strip():
            raise WorkbenchError("a coding needs the coder's name; set the coder first")
        if (char_start is None) != (char_end is None) or (char_start is not None and not 0 <= char_start < char_end):
            raise WorkbenchError(
                f"passage {passage_id}: span {char_start}..{char_end} is not a span; give 0 <= start < end, or neither"
            )
        key = {"study": study, "coder": coder.strip(), "passage_id": passage_id, "code_id": code_id,
               "char_start": char_start, "char_end": char_end}
        return self._append_if_changed(code_assignments_table, key,
                                       {"action": action, "segment_id": segment_id, "origin": origin},
                                       compare=("action",))

    def coding(self, study: str, coder: str | None = None, history: bool = False) -> list[StoredCoding]:
        """Code assignments of a study: the latest action per (coder, passage, code, span), oldest first.

        Keep rows with ``action == "apply"`` for the codes in force; ``history=True`` gives every row.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.record_coding("s", "dana", "p-1", "pricing")
            >>> _ = store.record_coding("s", "lee", "p-1", "navigation")
            >>> [(a.coder, a.code_id) for a in store.coding("s", coder="lee")]
            [('lee', 'navigation')]
        """
        table = code_assignments_table
        where = table.c.study == study if coder is None else (table.c.study == study) & (table.c.coder == coder)
        key = ("coder", "passage_id", "code_id", "char_start", "char_end")
        rows = self._rows(table, where) if history else self._current(table, key, where)
        return [
            StoredCoding(row["coder"], row["passage_id"], row["segment_id"], row["code_id"], row["char_start"],
                         row["char_end"], row["action"], row["origin"], row["created_at"])
            for row in rows
        ]

    def set_memo(self, study: str, coder: str, target_kind: str, target_id: str, text: str) -> bool:
        """Write ``coder``'s memo on a passage, a span of a turn, a code or the study; an empty text clears it.

        ``target_kind`` is ``passage``, ``span`` (target ``SEGMENT:START-END``), ``code`` or ``study``. Returns False when the memo
        already reads so (nothing is stored).

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.set_memo("s", "dana", "passage", "p-1", "Refund story, compare with P07")
            True
            >>> [m.text for m in store.memos("s")]
            ['Refund story, compare with P07']
        """
        if target_kind not in MEMO_TARGETS:
            raise WorkbenchError(f"unknown memo target {target_kind!r}; use one of {', '.join(MEMO_TARGETS)}")
        if not coder or not coder.strip():
            raise WorkbenchError("a memo needs the coder's name; set the coder first")
        key = {"study": study, "coder": coder.strip(), "target_kind": target_kind, "target_id": target_id}
        return self._append_if_changed(memos_table, key, {"text": text.strip()}, compare=("text",),
                                       skip_new_if={"text": ""})

    def memos(self, study: str, coder: str | None = None) -> list[StoredMemo]:
        """The current (non-empty) memos of a study, oldest first.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).memos("s")
            []
        """
        where = memos_table.c.study == study
        if coder is not None:
            where = where & (memos_table.c.coder == coder)
        rows = self._current(memos_table, ("coder", "target_kind", "target_id"), where)
        return [
            StoredMemo(row["coder"], row["target_kind"], row["target_id"], row["text"], row["created_at"])
            for row in rows
            if row["text"]
        ]

    def _rows(self, table: Table, where: Any) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(select(table).where(where).order_by(table.c.row_id)).mappings()]

    def _current(self, table: Table, key: tuple[str, ...], where: Any) -> list[dict[str, Any]]:
        """The latest row per key, in the order the keys first appeared."""
        latest: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in self._rows(table, where):
            identity = tuple(row[name] for name in key)
            if identity in latest:
                row = {**row, "row_id": latest[identity]["row_id"]}  # keep first-seen order
            latest[identity] = row
        return sorted(latest.values(), key=lambda row: row["row_id"])

    def _latest(self, table: Table, key: dict[str, Any], connection: Any = None) -> dict[str, Any] | None:
        conditions = [table.c[name].is_(None) if value is None else table.c[name] == value for name, value in key.items()]
        query = select(table).where(*conditions).order_by(table.c.row_id.desc()).limit(1)
        if connection is None:
            with self.engine.connect() as own:
                row = own.execute(query).mappings().first()
        else:
            row = connection.execute(query).mappings().first()
        return dict(row) if row is not None else None

    @retry_busy_writes
    def _append_if_changed(
        self,
        table: Table,
        key: dict[str, Any],
        values: dict[str, Any],
        compare: tuple[str, ...],
        skip_new_if: dict[str, Any] | None = None,
    ) -> bool:
        """Append ``key`` + ``values`` unless the latest row of ``key`` already has the same ``compare`` values."""
        with self._write_transaction() as connection:
            current = self._latest(table, key, connection)
            if current is None and skip_new_if and all(values[k] == v for k, v in skip_new_if.items()):
                return False
            if current is not None and all(current[name] == values[name] for name in compare):
                return False
            connection.execute(insert(table).values(**key, **values, created_at=datetime.now(timezone.utc)))
            return True

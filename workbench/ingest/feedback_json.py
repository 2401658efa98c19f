"""The JSON feedback readers: ``.jsonl``/``.ndjson`` (one object per line) and ``.json`` (a list of objects).

Cells become text: strings as they are, numbers and booleans in JSON spelling, lists joined
with ``; ``, nested objects flattened one level with dotted names (``customer.name``).
"""
from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from typing import Any

from workbench.errors import IngestError
from workbench.ingest.base import FeedbackTable, FileReport
from workbench.ingest.encoding import read_text_file
from workbench.ingest.feedback_table import MAX_FEEDBACK_BYTES, table_from_records

__all__ = ["read_json_feedback", "read_jsonl_feedback"]

#: nested JSON deeper than this is written out as its plain values, without further structure
_MAX_JSON_TEXT_DEPTH = 20


def read_jsonl_feedback(path: Path, report: FileReport) -> FeedbackTable:
    """Read a JSON Lines export: one JSON object per line.

    Blank lines are ignored. A line that is not valid JSON, or not an object, is listed
    in ``report.skipped`` with its line number and reading goes on; when no line at all
    is usable the file raises :class:`IngestError`. Nested objects are flattened one
    level with dotted names (``customer.name``); lists are joined as text.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "emails.jsonl"
        >>> _ = path.write_text('{"id": 1, "customer": {"name": "Ana"}, "body": "No e-ticket"}\\n{oops\\n', encoding="utf-8")
        >>> report = FileReport("feedback/emails.jsonl", "feedback", "jsonl")
        >>> table = read_jsonl_feedback(path, report)
        >>> table.rows.to_dict("records"), [s.location for s in report.skipped]
        ([{'id': '1', 'customer.name': 'Ana', 'body': 'No e-ticket'}], ['line 2'])
    """
    path = Path(path)
    text = read_text_file(path, report, max_bytes=MAX_FEEDBACK_BYTES)
    skipped_before = len(report.skipped)
    records: list[dict[str, str | None]] = []
    row_numbers: list[int] = []
    record_index: list[int] = []
    seen = 0
    first_failure: tuple[int, str] | None = None
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        seen += 1
        reason: str | None = None
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            reason = f"not valid JSON: {error.msg} at column {error.colno}; fix or remove the line"
        except RecursionError:
            reason = "not valid JSON: nested too deeply to read; fix or remove the line"
        except (ValueError, MemoryError) as error:
            reason = f"not valid JSON: {str(error)[:80]}; fix or remove the line"
        else:
            if not isinstance(value, dict):
                reason = (
                    f"not valid JSON for this file: the line holds {_json_kind(value)}, "
                    "not one {...} object; fix or remove the line"
                )
        if reason is not None:
            report.skip(f"line {line_number}", reason)
            first_failure = first_failure or (line_number, reason)
            continue
        records.append(_flatten(value))
        row_numbers.append(line_number)
        record_index.append(seen)
    if seen == 0:
        raise IngestError(path, "the file is empty; export the feedback again or remove the file")
    if first_failure is not None and text.strip().startswith(("[", "{")) and "\n" in text.strip():
        try:
            whole = json.loads(text)
        except (ValueError, RecursionError, MemoryError):
            whole = None
        if isinstance(whole, (list, dict)):  # a pretty-printed .json file named .jsonl
            del report.skipped[skipped_before:]
            table = _json_document_table(whole, text, path, report)
            report.notes.append("the file is one JSON document, not one object per line; read it as .json (rename it to .json)")
            return table
    if not records:
        assert first_failure is not None
        raise IngestError(
            path,
            f"no line holds a JSON object (expected one {{...}} object per line; first problem: {first_failure[1]})",
            line=first_failure[0],
        )
    return table_from_records(records, row_numbers, record_index, seen, path)


def read_json_feedback(path: Path, report: FileReport) -> FeedbackTable:
    """Read a ``.json`` export: a list of objects, or an object holding one list of objects.

    ``{"items": [...]}`` / ``{"data": [...], "count": 3}`` shapes are accepted as long as
    exactly one value is a list of objects. ``row_numbers`` is the line on which each
    object starts. List entries that are not objects are listed in ``report.skipped``.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "chat.json"
        >>> _ = path.write_text('{"items": [\\n {"id": "c1", "message": "Agent gave a different answer"}\\n]}', encoding="utf-8")
        >>> table = read_json_feedback(path, FileReport("feedback/chat.json", "feedback", "json"))
        >>> table.rows["message"].tolist(), table.row_numbers
        (['Agent gave a different answer'], [2])
    """
    path = Path(path)
    text = read_text_file(path, report, max_bytes=MAX_FEEDBACK_BYTES)
    if not text.strip():
        raise IngestError(path, "the file is empty; export the feedback again or remove the file")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(
            path, f"not valid JSON: {error.msg} at column {error.colno}; fix the file or export it again", line=error.lineno
        ) from None
    except RecursionError:
        raise IngestError(path, "not valid JSON: nested too deeply to read; export it again") from None
    except (ValueError, MemoryError) as error:
        raise IngestError(path, f"not valid JSON: {str(error)[:80]}; fix the file or export it again") from None
    return _json_document_table(document, text, path, report)


def _json_document_table(document: Any, text: str, path: Path, report: FileReport) -> FeedbackTable:
    """The feedback table of a parsed .json document (see :func:`read_json_feedback`)."""
    expected = 'expected a list of objects ([{...}, {...}]) or an object holding one such list ({"items": [{...}]})'
    key: str | None = None
    if isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        lists = [k for k, v in document.items() if isinstance(v, list) and any(isinstance(i, dict) for i in v)]
        if len(lists) != 1:
            found = "several lists (" + ", ".join(lists) + ")" if lists else "no list of objects"
            raise IngestError(path, f"{expected}; this object holds {found}. Keep only the list of feedback items")
        key = lists[0]
        items = document[key]
        others = [k for k in document if k != key]
        if others:
            report.notes.append(f"read the list under '{key}'; ignored the other keys: {', '.join(map(str, others))}")
    else:
        raise IngestError(path, f"{expected}; found {_json_kind(document)}")
    lines = _json_item_lines(text, key, len(items))
    records: list[dict[str, str | None]] = []
    row_numbers: list[int] = []
    record_index: list[int] = []
    for position, (item, line) in enumerate(zip(items, lines), start=1):
        if not isinstance(item, dict):
            report.skip(f"line {line}", f"list entry {position} is {_json_kind(item)}, not an object; fix or remove it")
            continue
        records.append(_flatten(item))
        row_numbers.append(line)
        record_index.append(position)
    if items and not records:
        raise IngestError(path, f"{expected}; the list holds no objects")
    return table_from_records(records, row_numbers, record_index, len(items), path)


def _json_item_lines(text: str, key: str | None, count: int) -> list[int]:
    """The 1-based line where each entry of the top-level list (or the list under ``key``) starts."""
    decoder = json.JSONDecoder()
    whitespace = re.compile(r"[ \t\n\r]*")

    def skip(pos: int) -> int:
        return whitespace.match(text, pos).end()  # type: ignore[union-attr]

    try:
        pos = skip(0)
        if key is not None:
            if text[pos] != "{":
                raise ValueError
            pos = skip(pos + 1)
            array_pos = None
            while text[pos] != "}":
                name, pos = decoder.raw_decode(text, pos)
                pos = skip(pos)
                if text[pos] != ":":
                    raise ValueError
                pos = skip(pos + 1)
                if name == key:
                    array_pos = pos  # the last duplicate wins, as in json.loads
                _, pos = decoder.raw_decode(text, pos)
                pos = skip(pos)
                if text[pos] == ",":
                    pos = skip(pos + 1)
            if array_pos is None:
                raise ValueError
            pos = array_pos
        if text[pos] != "[":
            raise ValueError
        pos = skip(pos + 1)
        starts: list[int] = []
        while text[pos] != "]":
            starts.append(pos)
            _, pos = decoder.raw_decode(text, pos)
            pos = skip(pos)
            if text[pos] == ",":
                pos = skip(pos + 1)
        if len(starts) != count:
            raise ValueError
    except (ValueError, IndexError, RecursionError):
        return [1] * count
    newlines = [m.start() for m in re.finditer("\n", text)]
    return [bisect.bisect_left(newlines, start) + 1 for start in starts]


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _json_text(value: Any, depth: int = 0) -> str | None:
    """A JSON value as cell text: strings as is, numbers/booleans in JSON spelling, lists joined with '; '.

    Objects are written as JSON; values nested deeper than 20 levels (a hostile or broken export)
    are written as their plain values joined with '; ', without recursion.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(value)
    if depth >= _MAX_JSON_TEXT_DEPTH:
        parts = [p for p in map(_json_text, _json_leaves(value)) if p]
        return "; ".join(parts) if parts else None
    if isinstance(value, list):
        parts = [
            p for p in (_json_text(v, depth + 1) if not isinstance(v, dict) else _json_object_text(v, depth + 1) for v in value)
            if p
        ]
        return "; ".join(parts) if parts else None
    return _json_object_text(value, depth)


def _json_object_text(value: Any, depth: int) -> str | None:
    """A JSON object as compact JSON text; too deep for the encoder: its plain values."""
    if depth >= _MAX_JSON_TEXT_DEPTH or _json_depth(value) > _MAX_JSON_TEXT_DEPTH:
        parts = [p for p in map(_json_text, _json_leaves(value)) if p]
        return "; ".join(parts) if parts else None
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None


def _json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
    return deepest


def _json_leaves(value: Any) -> list[Any]:
    """The scalar values inside a parsed JSON value, in document order, without recursion."""
    leaves: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        else:
            leaves.append(item)
    return leaves


def _flatten(record: dict[str, Any]) -> dict[str, str | None]:
    """Flatten one level of nesting (``{"customer": {"name": "A"}}`` → ``customer.name``); values as text."""
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        if isinstance(value, dict) and value:
            for inner_key, inner_value in value.items():
                flat[f"{key}.{inner_key}"] = _json_text(inner_value)
        else:
            flat[str(key)] = _json_text(value)
    return flat

"""The document a coder reads: the interview of the current passage, its turns cut into coded pieces (a mixin).

:class:`DocumentView` is the part of :class:`~widgets.coding.state.CodingState` that says what the
transcript shows: the documents (interviews, feedback exports), the current one, and its turns
cut at every coded span, the selection and the current passage, each piece with its codes, their
colours and coders, and the hover text (:meth:`DocumentView.document_turns`). Feedback exports are
long: a window of items around the current one is shown.

Example:
    >>> from widgets.coding.state import _demo_state
    >>> [t["speaker"] for t in _demo_state().document_turns()]
    ['P01']
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.coding.context import speaker_of
from workbench.coding.spans import CodedSpan, TurnIndex, TurnSpan, span_key
from workbench.errors import WorkbenchError
from workbench.schema import is_missing

#: feedback exports are long: the view shows this many items before and after the current one
FEEDBACK_WINDOW = 8


class DocumentView:
    """What the transcript shows; mixed into ``CodingState``, which provides the attributes annotated here.

    Example:
        >>> from widgets.coding.state import _demo_state
        >>> _demo_state().document
        'a'
    """

    coder: str
    codebook: Codebook
    passages: pd.DataFrame
    segments: pd.DataFrame | None
    selection: TurnSpan | None
    _turns: TurnIndex
    _spans: list[CodedSpan]
    _span_memos: dict[str, str]
    _rows: dict[str, int]
    _current_id: Callable[[], str | None]
    go_to: Callable[[str], Any]
    _name: Callable[[str], str]


    def documents(self) -> list[tuple[str, str]]:
        """(label, document id) of every interview or feedback export, in the passages' order.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> _demo_state().documents()
            [('a · P01', 'a'), ('b · P02', 'b')]
        """
        out: dict[str, str] = {}
        for row in self.passages.to_dict("records"):
            document = self._document_of(row)
            if document not in out:
                owner = "" if is_missing(row.get("participant_id")) else f" · {row['participant_id']}"
                out[document] = f"{document.rsplit('/', 1)[-1]}{owner}"
        return [(label, document) for document, label in out.items()]

    @property
    def document(self) -> str | None:
        """The document (source file) of the current passage, which the view shows whole."""
        pid = self._current_id()
        return None if pid is None else self._document_of(self.passages.iloc[self._rows[pid]].to_dict())

    def open_document(self, document: str) -> None:
        """Show a document: go to its first passage.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); state.open_document("b"); state.document
            'b'
        """
        for row in self.passages.to_dict("records"):
            if self._document_of(row) == document:
                self.go_to(str(row["passage_id"]))
                return
        raise WorkbenchError(f"no document {document!r} among the passages; pick one of the documents() list")

    def document_turns(self) -> list[dict[str, Any]]:
        """The turns of the current document, each cut into pieces by the coded spans, ready to draw.

        Each turn: segment_id, speaker, role, current (holds the current passage) and ``pieces``:
        text, start, end, ``selected`` (in the coder's selection), ``current`` (in the current
        passage), ``codes`` (code_id, name, colour, coder, mine, start, end), ``title`` (the hover
        text: each code with its coder, and memos on those spans).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("a", 4, 10); _ = state.code_selection("Refunds")
            >>> [(p["text"], [c["name"] for c in p["codes"]]) for p in state.document_turns()[0]["pieces"]]
            [('The ', []), ('refund', ['Refunds']), (' took weeks.', [])]
        """
        current_pid = self._current_id()
        current = None if current_pid is None else self._turns.to_turn(current_pid, None, None)
        turns = []
        for row in self._document_rows():
            sid, text = row["segment_id"], row["text"]
            spans = [c for c in self._spans if c.span.segment_id == sid]
            marks = [s for s in (self.selection, current) if s is not None and s.segment_id == sid]
            cuts = sorted({0, len(text)} | {min(max(p, 0), len(text)) for c in spans for p in (c.span.start, c.span.end)}
                          | {min(max(p, 0), len(text)) for s in marks for p in (s.start, s.end)})
            pieces = []
            for start, end in zip(cuts, cuts[1:]):
                if start == end:
                    continue
                piece = TurnSpan(sid, start, end)
                here = [c for c in spans if c.span.overlaps(piece)]
                pieces.append({
                    "text": text[start:end], "start": start, "end": end,
                    "selected": self.selection is not None and self.selection.overlaps(piece),
                    "current": current is not None and current.overlaps(piece),
                    "codes": [self._code_view(c) for c in here], "title": self._hover_text(here),
                })
            turns.append({"segment_id": sid, "speaker": row["speaker"], "role": row["role"], "pieces": pieces,
                          "current": current is not None and current.segment_id == sid})
        return turns

    def _code_view(self, coded: CodedSpan) -> dict[str, Any]:
        code = self.codebook.get(coded.code_id) if coded.code_id in self.codebook else None
        return {"code_id": coded.code_id, "name": code.name if code else coded.code_id,
                "colour": (code.colour if code else None) or "#9ca3af", "coder": coded.coder,
                "mine": coded.coder == self.coder, "start": coded.span.start, "end": coded.span.end}

    def _hover_text(self, here: list[CodedSpan]) -> str:
        lines = []
        for coded in sorted(here, key=lambda c: (c.coder != self.coder, c.coder, self._name(c.code_id))):
            how = "" if not coded.origin else f", {coded.origin.split(':', 1)[0]}"
            lines.append(f"{self._name(coded.code_id)} — {coded.coder}{how}")
        memos = {self._span_memos.get(span_key(c.span)) for c in here if c.coder == self.coder} - {None, ""}
        lines += [f"memo: {memo}" for memo in sorted(memos)]  # type: ignore[type-var]
        return "\n".join(lines)

    def _document_of(self, row: dict[str, Any]) -> str:
        source = row.get("source_id")
        return str(row["segment_id"]) if is_missing(source) else str(source)

    def _turn_text(self, segment_id: str) -> str:
        row = self._segment(segment_id)  # type: ignore[attr-defined]
        if row is not None and not is_missing(row.get("text_redacted")):
            return str(row["text_redacted"])
        units = self._turns.passages_of(segment_id)
        if units:
            rows = self.passages[self.passages["passage_id"].isin([u[2] for u in units])]
            pieces = {str(r["passage_id"]): str(r["text"]) for r in rows.to_dict("records")}
            text = ""
            for start, _end, pid in units:
                text = text.ljust(start) + pieces[pid]
            return text
        raise WorkbenchError(f"no turn {segment_id!r} in these results; reload the page")

    def _document_rows(self) -> list[dict[str, Any]]:
        """segment_id, speaker, role, text of the turns the view shows for the current document."""
        document = self.document
        if document is None:
            return []
        segments = self.segments
        if segments is None or segments.empty or "source_id" not in segments.columns:
            first: dict[str, dict[str, Any]] = {}
            for row in self.passages.to_dict("records"):
                if self._document_of(row) == document:
                    first.setdefault(str(row["segment_id"]), row)
            return [{"segment_id": sid, "speaker": speaker_of({"role": "customer", **row}), "role": "customer",
                     "text": self._turn_text(sid)} for sid, row in first.items()]
        rows = segments[segments["source_id"].astype(str) == document]
        if "turn" in rows.columns:
            rows = rows.sort_values("turn", kind="stable")
        records = rows.to_dict("records")
        if records and str(records[0].get("source_kind") or "") == "feedback":
            here = next((i for i, r in enumerate(records) if self.selection and str(r["segment_id"]) == self.selection.segment_id),
                        None)
            if here is None:
                current = self.passages.iloc[self._rows[self._current_id()]]  # type: ignore[index]
                here = next((i for i, r in enumerate(records) if str(r["segment_id"]) == str(current["segment_id"])), 0)
            records = records[max(0, here - FEEDBACK_WINDOW):here + FEEDBACK_WINDOW + 1]
        return [{"segment_id": str(r["segment_id"]), "speaker": _item_speaker(r), "role": str(r.get("role") or ""),
                 "text": "" if is_missing(r.get("text_redacted")) else str(r["text_redacted"])} for r in records]



def _item_speaker(row: dict[str, Any]) -> str:
    if str(row.get("source_kind") or "") == "feedback" and not is_missing(row.get("item_id")):
        return f"item {row['item_id']}"
    return speaker_of(row)

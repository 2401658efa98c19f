"""The transcript a coder selects text in: an `anywidget <https://anywidget.dev>`_ with a small ES module.

:class:`TranscriptWidget` draws the turns the coding state hands it
(:meth:`~widgets.coding.span_actions.SpanActions.document_turns`): every piece of text in the
colours of the codes on it, its codes and coders on hover (the ``title``), the selection and the
current passage outlined. It computes nothing about codes. In the browser it only measures:
when the mouse (or shift + arrow keys) ends a selection it counts the characters from the start
of the turn's text to both ends of the selection and sends ``{"kind": "select", "segment_id",
"start", "end"}`` to Python; a click sends ``{"kind": "point", "segment_id", "offset"}`` (on a
highlighted span: selects it; elsewhere in a turn: makes that passage the current one, after a
short wait so a double-click still selects a word); a shortcut key sends ``{"kind": "key", "key"}``. A selection that runs into the
next turn stops at the end of the turn it started in. Text is set with ``textContent`` only, so
a quote holding ``<script>`` is shown as the characters it is.

anywidget runs in JupyterLab, Notebook 7 and Voila with no lab extension to build.

Example:
    >>> widget = TranscriptWidget()
    >>> seen = []; widget.on_message(seen.append)
    >>> widget._handle({"kind": "select", "segment_id": "s1", "start": 4, "end": 10}); seen
    [{'kind': 'select', 'segment_id': 's1', 'start': 4, 'end': 10}]
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

#: the message kinds the browser sends, and the fields each must carry
MESSAGES = {"select": ("segment_id", "start", "end"), "point": ("segment_id", "offset"), "key": ("key",)}

ESM = r"""
const KEYS = new Set(["n", "p", "j", "k", "a", "x", "ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Escape",
                      "1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]);

function textOf(node) {
  const element = node && (node.nodeType === 1 ? node : node.parentElement);
  return element ? element.closest(".wbc-text") : null;
}

function offsetIn(textElement, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(textElement);
  try { range.setEnd(node, offset); } catch (error) { return null; }
  return range.toString().length;
}

function pointIn(textElement, node, offset) {
  // the offset of (node, offset) in the turn's text; a point outside it clips to its start or end
  if (textElement.contains(node)) return offsetIn(textElement, node, offset);
  const before = textElement.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING;
  return before ? 0 : textElement.textContent.length;
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "wbc-transcript";
  root.tabIndex = 0;
  root.setAttribute("role", "document");
  root.setAttribute("aria-label", "Transcript: select text to code it");
  el.appendChild(root);

  function draw() {
    const scroll = root.scrollTop;
    root.replaceChildren();
    const turns = model.get("turns") || [];
    if (!turns.length) {
      const empty = document.createElement("i");
      empty.textContent = "No passage matches these filters.";
      root.appendChild(empty);
    }
    for (const turn of turns) {
      const row = document.createElement("div");
      row.className = "wbc-turn" + (turn.current ? " wbc-current-turn" : "") + (turn.role === "customer" ? "" : " wbc-context");
      row.dataset.segment = turn.segment_id;
      const who = document.createElement("span");
      who.className = "wbc-speaker";
      who.textContent = turn.speaker + ": ";
      const text = document.createElement("span");
      text.className = "wbc-text";
      text.dataset.segment = turn.segment_id;
      for (const piece of turn.pieces) {
        const codes = piece.codes || [];
        if (!codes.length && !piece.selected && !piece.current) {
          text.appendChild(document.createTextNode(piece.text));
          continue;
        }
        const mark = document.createElement("span");
        mark.textContent = piece.text;
        mark.className = "wbc-piece" + (codes.length ? " wbc-coded" : "") + (piece.selected ? " wbc-selected" : "")
          + (piece.current ? " wbc-current" : "");
        if (codes.length) {
          const mine = codes.filter((c) => c.mine);
          const first = (mine.length ? mine : codes)[0];
          if (mine.length) mark.style.backgroundColor = first.colour + "38";
          mark.style.boxShadow = codes.map((c, i) => `inset 0 -${2 + 3 * i}px 0 ${c.colour}`).join(", ");
          mark.title = piece.title;
          mark.dataset.codes = codes.map((c) => c.name + " — " + c.coder).join("; ");
        }
        mark.dataset.start = piece.start;
        mark.dataset.end = piece.end;
        text.appendChild(mark);
      }
      row.append(who, text);
      root.appendChild(row);
    }
    root.scrollTop = scroll;
  }

  function scrollToCurrent() {
    const target = root.querySelector(".wbc-selected") || root.querySelector(".wbc-current") || root.querySelector(".wbc-current-turn");
    if (target && target.scrollIntoView) target.scrollIntoView({ block: "nearest" });
  }

  function onSelectionEnd() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return false;
    if (selection.isCollapsed) return false;
    const range = selection.getRangeAt(0);
    let text = textOf(range.startContainer);
    if (!text || !root.contains(text)) text = textOf(range.endContainer);
    if (!text || !root.contains(text)) return false;
    const start = pointIn(text, range.startContainer, range.startOffset);
    const end = pointIn(text, range.endContainer, range.endOffset);
    if (start === null || end === null || start === end) return false;
    model.send({ kind: "select", segment_id: text.dataset.segment, start: Math.min(start, end), end: Math.max(start, end) });
    selection.removeAllRanges();
    return true;
  }

  let pendingClick = null;  // a plain click on uncoded text waits: it may be the first half of a double-click
  root.addEventListener("mouseup", (event) => {
    if (pendingClick) { clearTimeout(pendingClick); pendingClick = null; }
    if (onSelectionEnd()) return;
    const mark = event.target.closest ? event.target.closest(".wbc-coded") : null;
    const text = mark ? textOf(mark) : textOf(event.target);
    if (!text || !root.contains(text)) return;
    if (mark) {
      model.send({ kind: "point", segment_id: text.dataset.segment, offset: Number(mark.dataset.start) });
      return;
    }
    const caret = window.getSelection();
    if (event.detail !== 1 || !caret || caret.rangeCount === 0 || !text.contains(caret.anchorNode)) return;
    const offset = offsetIn(text, caret.anchorNode, caret.anchorOffset);
    if (offset === null) return;
    const segment = text.dataset.segment;
    pendingClick = setTimeout(() => { pendingClick = null; model.send({ kind: "point", segment_id: segment, offset }); }, 350);
  });
  root.addEventListener("keyup", (event) => { if (event.shiftKey) onSelectionEnd(); });
  root.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !KEYS.has(event.key)) return;
    event.preventDefault();
    model.send({ kind: "key", key: event.key });
  });
  model.on("change:turns", draw);
  model.on("change:scroll_request", scrollToCurrent);
  draw();
  setTimeout(scrollToCurrent, 0);
}

export default { render };
"""

CSS = r"""
.wbc-transcript { max-height: 460px; overflow-y: auto; border: 1px solid #e5e7eb; border-radius: 6px;
  padding: 8px 12px; line-height: 1.7; font-size: 15px; background: #fff; outline: none; }
.wbc-transcript:focus { border-color: #2563eb; }
.wbc-turn { margin: 6px 0; }
.wbc-context { color: #6b7280; }
.wbc-speaker { font-weight: 600; user-select: none; }
.wbc-text { white-space: pre-wrap; cursor: text; }
.wbc-piece.wbc-coded { border-radius: 2px; cursor: pointer; padding-bottom: 2px; }
.wbc-piece.wbc-current { outline: 1px dotted #9ca3af; }
.wbc-piece.wbc-selected { outline: 2px solid #2563eb; background-color: #dbeafe; }
"""


class TranscriptWidget(anywidget.AnyWidget):
    """The turns of a document, drawn in the browser; selections, clicks and keys come back as messages.

    ``turns`` is what :meth:`~widgets.coding.span_actions.SpanActions.document_turns` gives;
    bump ``scroll_request`` to bring the selection or the current passage into view.

    Example:
        >>> TranscriptWidget(turns=[{"segment_id": "s1", "speaker": "P01", "role": "customer", "current": True,
        ...     "pieces": [{"text": "Too slow.", "start": 0, "end": 9, "codes": [], "title": ""}]}]).turns[0]["speaker"]
        'P01'
    """

    _esm = ESM
    _css = CSS
    turns = traitlets.List().tag(sync=True)
    scroll_request = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self.on_msg(lambda _widget, content, _buffers: self._handle(content))

    def on_message(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call ``callback(message)`` for every well-formed message from the browser."""
        self._listeners.append(callback)

    def _handle(self, content: Any) -> None:
        if not isinstance(content, dict) or content.get("kind") not in MESSAGES:
            return  # not one of ours (anywidget's own messages, or a page that was tampered with)
        if any(name not in content for name in MESSAGES[content["kind"]]):
            return
        for callback in list(self._listeners):
            callback(content)

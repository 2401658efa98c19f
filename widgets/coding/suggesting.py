"""The analysis' suggestions on the current passage, and the coder's answer to them (a mixin of the coding state).

On a passage the analysis put in a pain point, the coding view suggests the pain point's code
and its CX/UX element's code (the rule of :mod:`workbench.coding.suggestions`, which the model
as a coder shares). :class:`SuggestionActions` is the part of
:class:`~widgets.coding.state.CodingState` that lists them with what this coder made of them
(:class:`Suggestion`) and accepts or rejects them; a pain point accepted becomes a code.

Example:
    >>> from widgets.coding.state import _demo_state
    >>> state = _demo_state(); state.reject_suggestion().status, state.suggestions[0].status
    ('rejected', 'rejected')
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.coding.codebook import Code, Codebook
from workbench.coding.painpoint_codes import code_from_painpoint, painpoint_code
from workbench.coding.suggestions import painpoint_suggestions
from workbench.errors import WorkbenchError
from workbench.schema import is_missing


@dataclass(frozen=True)
class Suggestion:
    """A code the analysis suggests for the current passage, and what the coder made of it.

    ``status`` is ``open``, ``accepted`` (the code is applied) or ``rejected``.

    Example:
        >>> Suggestion("pain-refunds", "Refunds", "PP06", "pain point PP06", 0.8, False, "open").status
        'open'
    """

    code_id: str
    name: str
    painpoint_id: str
    reason: str
    probability: float | None
    in_codebook: bool
    status: str


class SuggestionActions:
    """The current passage's suggestions, accepted or rejected; mixed into ``CodingState``.

    The state provides the attributes annotated here and the methods they name.

    Example:
        >>> from widgets.coding.state import _demo_state
        >>> [(s.code_id, s.reason) for s in _demo_state().suggestions]
        [('pain-refunds-take-weeks', 'pain point PP01')]
    """

    codebook: Codebook
    painpoints: pd.DataFrame | None
    _suggested: dict[str, tuple[str, float | None]]
    _rejected: dict[str, set[str]]
    _current_id: Callable[[], str | None]
    _require_passage: Callable[[], str]
    _say: Callable[[str], None]
    _record: Callable[..., None]
    applied: Callable[..., list[str]]
    add_code: Callable[[Code], Code]

    @property
    def suggestions(self) -> list[Suggestion]:
        """Codes the analysis suggests for the current passage: its pain point's code and CX/UX element.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> [(s.code_id, s.status) for s in _demo_state().suggestions]
            [('pain-refunds-take-weeks', 'open')]
        """
        pid = self._current_id()
        if pid is None or pid not in self._suggested:
            return []
        painpoint_id, probability = self._suggested[pid]
        applied = set(self.applied(pid))
        rejected = self._rejected.get(pid, set())
        out = []
        for found in painpoint_suggestions(painpoint_id, self._painpoint(painpoint_id), self.codebook):
            code_id = found["code_id"]
            status = "accepted" if code_id in applied else "rejected" if code_id in rejected else "open"
            out.append(Suggestion(code_id, found["name"], painpoint_id, found["reason"], probability,
                                  found["in_codebook"], status))
        return out

    def accept_painpoint(self, painpoint_id: str) -> Code:
        """Make a pain point of the analysis a code of the codebook (under its CX/UX element).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> _demo_state().accept_painpoint("PP01").code_id
            'pain-refunds-take-weeks'
        """
        if self.painpoints is None:
            raise WorkbenchError("no painpoints table loaded; open the state with CodingState.open(study_dir)")
        label = self._painpoint(painpoint_id).get("label")
        existing = painpoint_code(self.codebook, painpoint_id, painpoint_id if is_missing(label) else str(label))
        if existing is not None:
            return existing
        return self.add_code(code_from_painpoint(self.painpoints, painpoint_id, codebook=Codebook(list(self.codebook.codes))))

    def accept_suggestion(self, code_id: str | None = None) -> Suggestion | None:
        """Apply a suggested code (default: the first open one), adding it to the codebook when new.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); state.accept_suggestion().status, state.applied()
            ('accepted', ['pain-refunds-take-weeks'])
        """
        suggestion = self._suggestion(code_id)
        if suggestion is None:
            self._say("no open suggestion here")
            return None
        pid = self._require_passage()
        if not suggestion.in_codebook:
            self.accept_painpoint(suggestion.painpoint_id)
        if suggestion.code_id not in self.applied(pid):
            self._record(pid, suggestion.code_id, "apply", None, origin=f"suggestion:{suggestion.painpoint_id}")
        self._say(f"accepted {suggestion.name}")
        return next(s for s in self.suggestions if s.code_id == suggestion.code_id)

    def reject_suggestion(self, code_id: str | None = None) -> Suggestion | None:
        """Turn down a suggested code (default: the first open one); it stays hidden for this coder.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); state.reject_suggestion().status
            'rejected'
        """
        suggestion = self._suggestion(code_id)
        if suggestion is None:
            self._say("no open suggestion here")
            return None
        pid = self._require_passage()
        self._record(pid, suggestion.code_id, "reject", None, origin=f"suggestion:{suggestion.painpoint_id}")
        self._say(f"rejected {suggestion.name}")
        return next(s for s in self.suggestions if s.code_id == suggestion.code_id)

    # ------------------------------------------------------------------ internals

    def _painpoint(self, painpoint_id: str) -> dict[str, Any]:
        if self.painpoints is None:
            return {"painpoint_id": painpoint_id}
        rows = self.painpoints[self.painpoints["painpoint_id"].astype(str) == painpoint_id]
        return rows.iloc[0].to_dict() if not rows.empty else {"painpoint_id": painpoint_id}

    def _suggestion(self, code_id: str | None) -> Suggestion | None:
        open_ones = [s for s in self.suggestions if s.status == "open"]
        if code_id is None:
            return open_ones[0] if open_ones else None
        return next((s for s in self.suggestions if s.code_id == code_id), None)

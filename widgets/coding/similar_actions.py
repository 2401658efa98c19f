""""Code all similar" in the coding view: proposals for a code, accepted or rejected one by one (a mixin of the state).

:class:`SimilarActions` asks the analysis for the passages most like those a code is on
(:func:`workbench.coding.similar.similar_passages`: the embedding cache of the results folder, no
model for analysed passages) and keeps them as :class:`Proposal` rows. Accepting one applies the
code to the whole passage as this coder's own code, with ``origin="similar:<code_id>"`` in the
store; rejecting one records a ``reject`` with the same origin, so it is never proposed again.

Example:
    >>> from widgets.coding.state import _demo_state
    >>> state = _demo_state(); _ = state.toggle("refunds")
    >>> [(p.passage_id, p.status) for p in state.propose_similar("Refunds")]
    [('b-1', 'open')]
    >>> state.accept_similar("b-1").status, state.applied("b-1")
    ('accepted', ['refunds'])
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.coding.similar import DEFAULT_PROPOSALS, SimilarFinder
from workbench.errors import WorkbenchError
from workbench.schema import is_missing

if TYPE_CHECKING:  # pragma: no cover - typing only
    from workbench.coding.spans import CodedSpan
    from workbench.storage.store import Store



@dataclass(frozen=True)
class Proposal:
    """A passage "code all similar" proposes for a code, and what the coder made of it.

    ``status`` is ``open``, ``accepted`` or ``rejected``.

    Example:
        >>> Proposal("refunds", "b-1", "The refund is missing", 0.82, "P02", "t.txt", "open").status
        'open'
    """

    code_id: str
    passage_id: str
    text: str
    score: float
    participant_id: str | None
    source_id: str | None
    status: str


class SimilarActions:
    """Proposals of "code all similar"; mixed into ``CodingState``, which provides the attributes annotated here.

    Example:
        >>> from widgets.coding.state import _demo_state
        >>> _demo_state().proposals
        []
    """

    store: Store
    study: str
    coder: str
    codebook: Codebook
    passages: pd.DataFrame
    similar_finder: SimilarFinder | None
    proposals: list[Proposal]
    _spans: list[CodedSpan]
    _rows: dict[str, int]
    _applied: dict[str, set[tuple[str, int | None, int | None]]]
    _rejected: dict[str, set[str]]
    _say: Callable[[str], None]
    _require_coder: Callable[[], None]
    _known_code_id: Callable[[str | None], str]

    def propose_similar(self, code: str, k: int = DEFAULT_PROPOSALS) -> list[Proposal]:
        """Propose the ``k`` passages most like those ``code`` is on (any coder's), leaving out this
        coder's coded and turned-down ones.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.toggle("refunds"); _ = state.propose_similar("refunds")
            >>> state.reject_similar("b-1").status, state.propose_similar("refunds")
            ('rejected', [])
        """
        self._require_coder()
        if self.similar_finder is None:
            raise WorkbenchError("no analysis results to compare passages with; open the state with "
                                 "CodingState.open(study_dir) after `workbench analyze`")
        code_id = self._known_code_id(code)
        chosen = self.codebook.get(code_id)
        examples = list(dict.fromkeys(c.passage_id for c in self._spans if c.code_id == code_id and c.passage_id in self._rows))
        mine = {pid for pid, codes in self._applied.items() if any(c[0] == code_id for c in codes)}
        turned_down = {pid for pid, codes in self._rejected.items() if code_id in codes}
        found = self.similar_finder(examples, int(k), mine | turned_down, f"{chosen.name}. {chosen.description}".strip())
        self.proposals = [
            Proposal(code_id, str(row["passage_id"]), str(row["text"]), float(row["score"]),
                     None if is_missing(row.get("participant_id")) else str(row["participant_id"]),
                     None if is_missing(row.get("source_id")) else str(row["source_id"]), "open")
            for row in found.to_dict("records") if str(row["passage_id"]) in self._rows
        ]
        self._say(f"{len(self.proposals)} passages like those coded {chosen.name}: accept or reject each"
                  if self.proposals else f"no more passages like those coded {chosen.name}")
        return list(self.proposals)

    def accept_similar(self, passage_id: str) -> Proposal:
        """Apply the proposal's code to its passage, as this coder's code (origin ``similar:<code_id>``)."""
        return self._answer(passage_id, "apply", "accepted")

    def reject_similar(self, passage_id: str) -> Proposal:
        """Turn a proposal down (recorded, so it is not proposed again)."""
        return self._answer(passage_id, "reject", "rejected")

    def _answer(self, passage_id: str, action: str, status: str) -> Proposal:
        index = next((i for i, p in enumerate(self.proposals) if p.passage_id == passage_id), None)
        if index is None:
            raise WorkbenchError(f"passage {passage_id} is not among the proposals; find similar passages first")
        proposal = self.proposals[index]
        self._record(passage_id, proposal.code_id, action, None, origin=f"similar:{proposal.code_id}")  # type: ignore[attr-defined]
        self.proposals[index] = replace(proposal, status=status)
        self._say(f"{status} {self.codebook.names().get(proposal.code_id, proposal.code_id)} on {passage_id}")
        return self.proposals[index]


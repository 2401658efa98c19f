"""The name recogniser: known names become their pseudonym (``P07``) or ``[NAME]``, unknown ones ``[NAME]``.

Known names (participants, speakers, feedback authors, ``extra_names``) are matched as
described in :mod:`workbench.privacy.known_names` ("Maria's" keeps its "'s"). A keep word
never shields a longer known name around it ("Maria Lopez" goes even when "Maria" is a
product). A first name that is also a word ("Will", "Grace", "May") counts only when
capitalised and not sentence-initial before a pronoun ("Will I get a refund?"); a surname
that is a word ("Price") only with the first name or after a title. Unknown names are
found after cues (:mod:`workbench.privacy.name_cues`) and, with no cue, as first names of a
large list read in their context (:mod:`workbench.privacy.bare_names`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from workbench.privacy.bare_names import bare_names
from workbench.privacy.base import Candidate, Recogniser, Span, pick_longest
from workbench.privacy.known_names import known_names, norm_key
from workbench.privacy.lexicon import load_lexicon
from workbench.privacy.name_cues import cued_names, is_capitalised
from workbench.privacy.name_words import DEFAULT_COMMON_WORDS, NEVER_NAME_WORDS, NOT_AFTER_NAME

__all__ = ["NameRecogniser"]

_NEXT_WORD_RE = re.compile(r"\s+([^\W\d_][\w'’]*)")
#: lower-case particles of a surname right before a name found ("passed to van der Berg")
_PARTICLES_BEFORE_RE = re.compile(r"(?<![\w\]])(?:(?:van|von|der|den|de|da|del|della|di|du|dos|das|ter|ten|al|bin|ibn)[ \t]+)+$")


def _with_particles(text: str, cand: Candidate) -> Candidate:
    """``cand`` widened over the surname particles right before it ("van der" of "van der Berg").

    Example:
        >>> _with_particles("passed to van der Berg", (18, 22, "[NAME]"))
        (10, 22, '[NAME]')
    """
    start, end, rep = cand
    m = _PARTICLES_BEFORE_RE.search(text, max(0, start - 30), start)
    return (m.start(), end, rep) if m else cand


class NameRecogniser(Recogniser):
    """Finds the known people's names and, after cues, unknown ones.

    Args:
        people: real name -> pseudonym (``"P07"``) or None (replaced by ``[NAME]``).
        extra_names: staff and third-party names to redact as ``[NAME]``.
        keep_words: words/phrases never redacted as a name (brand, product, tier names);
            a known name token listed here is only redacted as part of the full name.
        common_words: more words that are never a name on their own unless capitalised
            mid-sentence (added to :data:`~workbench.privacy.name_words.DEFAULT_COMMON_WORDS`).
        contextual: also find unknown names after cues ("my name is", "Dear", "Mrs" …).
        without_cues: also find unknown first names with no cue, by a list of names and their
            context ("…and Tendai, my partner"); the list is loaded at the first ``find``.

    The recogniser holds real names: it never shows them in its ``repr``.

    Example:
        >>> text = "Maria said Kevin helped; Dear Mr Okafor"
        >>> found = NameRecogniser({"Maria Lopez": "P07"}, extra_names=["Kevin"]).find(text, [])
        >>> [(text[s:e], rep) for s, e, rep in sorted(found)]
        [('Maria', 'P07'), ('Kevin', '[NAME]'), ('Okafor', '[NAME]')]
    """

    kind = "name"

    def __init__(
        self,
        people: dict[str, str | None] | None = None,
        extra_names: Iterable[str] = (),
        keep_words: Iterable[str] = (),
        common_words: Iterable[str] = (),
        contextual: bool = True,
        without_cues: bool = True,
    ) -> None:
        self.people = people
        self.extra_names = extra_names
        self.keep_words = keep_words
        self.common_words = common_words
        self.contextual = contextual
        self.without_cues = without_cues
        extra_common = {w.casefold() for w in common_words}
        common = DEFAULT_COMMON_WORDS | extra_common
        keep = list(keep_words)
        keep_tokens = {t.casefold() for w in keep for t in w.split()}
        self._entries, self._names_re = known_names(dict(people or {}), extra_names, keep_tokens, common)
        self._keep_re: re.Pattern[str] | None = None
        words = sorted((w for w in keep if w.strip()), key=len, reverse=True)
        if words:
            self._keep_re = re.compile(
                r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")(?!\w)",
                re.IGNORECASE,
            )
        self._never_names = frozenset(NEVER_NAME_WORDS | extra_common | keep_tokens)  # never an unknown name after a cue
        self._name_like = frozenset(common)  # also names: not propagated through a text
        self._never_bare = frozenset(NEVER_NAME_WORDS | keep_tokens)  # never a name without a cue

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(people=<{len(self.people or {})} names>, contextual={self.contextual}, "
                f"without_cues={self.without_cues})")

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Known names, then cued unknown ones, none overlapping ``taken`` or each other.

        Example:
            >>> NameRecogniser({"Grace Kim": "P02"}).find("Grace, will Grace Kim call?", [(0, 5)])
            [(12, 21, 'P02')]
        """
        keep: list[Span] = []
        if self._keep_re is not None:
            keep = [m.span() for m in self._keep_re.finditer(text)]
        blocked = list(taken) + keep
        chosen: list[Candidate] = []

        if self._names_re is not None:
            cands = []
            for m in self._names_re.finditer(text):
                entry = self._entries.get(norm_key(m.group()))
                if entry is None:
                    continue
                if entry.ambiguous and not self._reads_as_name(text, m.start(), m.end()):
                    continue
                cands.append((m.start(), m.end(), entry.replacement))
            # a keep word blocks a name within it or overlapping it, not a longer name around it:
            # with keep word "Maria", "Maria Lopez" still goes ("Maria" alone stays)
            cands = [
                c for c in cands
                if not any(ks < c[1] and c[0] < ke and not (c[0] <= ks and ke <= c[1] and c[1] - c[0] > ke - ks)
                           for ks, ke in keep)
            ]
            chosen = pick_longest(cands, taken)
        if self.contextual:
            blocked = blocked + [(s, e) for s, e, _ in chosen]
            chosen = chosen + cued_names(text, blocked, self._never_names, self._name_like)
        if self.without_cues:
            blocked = blocked + [(s, e) for s, e, _ in chosen]
            chosen = chosen + bare_names(text, blocked, load_lexicon(), self._never_bare, self._name_like)
        return [_with_particles(text, c) for c in chosen]

    @staticmethod
    def _reads_as_name(text: str, start: int, end: int) -> bool:
        """Ambiguous known name ("Will", "Grace"): a capital, and not a sentence-initial verb."""
        if not is_capitalised(text[start:end]):
            return False
        i = start
        crossed_newline = False
        while i > 0 and (text[i - 1].isspace() or text[i - 1] in "\"'“‘(«"):
            crossed_newline |= text[i - 1] == "\n"
            i -= 1
        sentence_start = i == 0 or crossed_newline or text[i - 1] in ".!?:;…-–—"
        if not sentence_start:
            return True
        nxt = _NEXT_WORD_RE.match(text, end)
        if nxt is None:
            return True
        return nxt.group(1).replace("’", "'").casefold() not in NOT_AFTER_NAME

"""Unknown names found after a cue: "my name is X", "Dear X", "spoke to X", "Mrs X", sign-offs …

Cues: "my name is X" / "his name was X", "I'm X Y" (two capitalised words), "this is X
from", "Dear X", "Hi X," at a line start, sign-offs ("Kind regards,\\nX Y", "Thanks, X",
"Cheers, X | Company"), "agent called/named X", "spoke to/with X", and titles ("Mrs X",
"Dr. X" keep the title). The cue is matched case-insensitively; the name must be
capitalised and not a common word (:data:`~workbench.privacy.name_words.NEVER_NAME_WORDS`).
A name found after a cue is then also replaced elsewhere in the same text. Bare unknown
names without a cue ("Kevin said …") are not found: list staff in ``extra_names``.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from workbench.privacy.base import TAGS, Candidate, Span, pick_longest
from workbench.privacy.name_words import PARTICLES, TITLE_STOP

__all__ = ["cued_names", "accept_name", "is_capitalised", "TOKEN_RE"]

# a name token: letters with inner apostrophes/hyphens ("O'Brien", "Jean-Luc")
_TOK = r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*"
_NAME = rf"(?P<name>{_TOK}(?:[ \t]+(?:\({_TOK}\)|{_TOK})){{0,3}})"
_SIGNOFF = (
    r"kind\s+regards|best\s+regards|warm\s+regards|warmest\s+regards|many\s+thanks|"
    r"thanks\s+again|thank\s+you|thanks|cheers|best\s+wishes|all\s+the\s+best|best|"
    r"yours\s+sincerely|yours\s+faithfully|yours\s+truly|sincerely|regards|warmly|"
    r"respectfully|take\s+care|speak\s+soon"
)
_PERSON_NOUNS = (
    r"agent|rep|representative|advisor|adviser|operator|guy|man|woman|lady|girl|boy|gentleman|"
    r"chap|bloke|someone|somebody|person|supervisor|manager|clerk|receptionist|colleague|"
    r"staff\s+member|host|hostess|steward|stewardess|attendant|driver|concierge|consultant|"
    r"assistant|employee|worker|fella|fellow|dude|officer"
)
# (pattern, minimum tokens, title cue) — the cue part is case-insensitive, the name is
# checked for capitals in code
_CONTEXT_CUES: tuple[tuple[str, int, bool], ...] = (
    (rf"(?i:\bmy\s+name\s+is|\bmy\s+name['’]s|\bname['’]s|\b(?:his|her|their)\s+name\s+(?:is|was))\s+{_NAME}", 1, False),
    (rf"(?i:\bI['’]m|\bI\s+am)\s+{_NAME}", 2, False),
    (rf"(?i:\bthis\s+is|\bit['’]s)\s+{_NAME}\s+(?i:from|at|with|here)\b", 1, False),
    (rf"(?i:\bdear)\s+{_NAME}", 1, False),
    (rf"(?im:^[ \t]*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)))[ \t]+{_NAME}[ \t]*[,!:]", 1, False),
    (
        rf"(?im:(?:^(?:[ \t]*>)*|(?<=[.!?])|(?<=--))[ \t]*(?:{_SIGNOFF}))[ \t]*(?:[,!.\-–—][ \t]*)?\n?(?:[ \t]*>)*[ \t]*"
        rf"{_NAME}(?=[ \t]*(?:[|,.!)]|$))",
        1,
        False,
    ),
    (rf"(?i:\b(?:{_PERSON_NOUNS})\s+(?:called|named|by\s+the\s+name\s+of))\s+{_NAME}", 1, False),
    (rf"(?i:\b(?:spoke|speak|speaking|talked|talk|talking|chatted|chatting)\s+(?:to|with))\s+{_NAME}", 1, False),
    (r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Madame|Mme|Herr|Frau|Señor|Señora|Sr|Sra|Signora|Signor|Signore|"
     r"Sig|Senhor|Senhora|Monsieur|Mademoiselle|Mlle|Mevrouw|Meneer|Mevr|Dhr|Pani|Pan)\.?[ \t]+"
     rf"{_NAME}", 1, True),
)
_CONTEXT_RE = tuple((re.compile(p, re.MULTILINE), n, t) for p, n, t in _CONTEXT_CUES)

#: one name token
TOKEN_RE = re.compile(_TOK)


def is_capitalised(token: str) -> bool:
    """True if ``token`` starts with an upper-case letter.

    Example:
        >>> is_capitalised("Ana"), is_capitalised("ana"), is_capitalised("")
        (True, False, False)
    """
    return bool(token) and token[0].isupper()


def accept_name(
    text: str, start: int, name: str, min_tokens: int, title: bool, common_words: Collection[str]
) -> tuple[int, int] | None:
    """Leading tokens of ``name`` (found at ``start`` of ``text``) that look like a person's name, as a span, or None.

    Tokens are taken while they are capitalised and not in ``common_words`` (after a title
    one common word may be a surname: "Mr Best"); a possessive ends the name ("Ana's");
    a bracketed nickname is kept ("Jonathan (Jon) Price"). Fewer than ``min_tokens`` tokens: None.

    Example:
        >>> text = "Dear Ana Silva and team"
        >>> accept_name(text, 5, "Ana Silva and team", 1, False, {"and", "team"})
        (5, 14)
    """
    end = start
    count = 0
    prev_end = 0  # end of the last token looked at, in ``name`` coordinates
    for m in TOKEN_RE.finditer(name):
        if name[prev_end:m.start()].strip(" \t()"):
            break
        prev_end = m.end()
        tok = m.group()
        is_poss = False
        for suffix in ("'s", "’s"):
            if tok.endswith(suffix) and len(tok) > 3:
                tok = tok[: -len(suffix)]
                is_poss = True
        folded = tok.replace("’", "'").casefold()
        if count and folded in PARTICLES and not is_capitalised(tok):
            continue  # "Ana de Souza": only taken if a capitalised token follows
        if not is_capitalised(tok) or len(tok) < 2:
            break
        if text[start + m.start() - 1: start + m.start()] == "[":
            break
        if folded in common_words:
            if not (title and count == 0 and folded not in TITLE_STOP):
                break
        count += 1
        end = start + m.start() + len(tok)
        if name[m.start() - 1: m.start()] == "(" and name[m.end(): m.end() + 1] == ")":
            end += 1  # a nickname in brackets: "Jonathan (Jon) Price"
        if is_poss:
            break
    if count < min_tokens or count == 0:
        return None
    # the span starts at the first token
    return start, end


def cued_names(
    text: str, blocked: Sequence[Span], common_words: Collection[str], name_like: Collection[str]
) -> list[Candidate]:
    """Unknown names after a cue, and the same names elsewhere in ``text``, as ``[NAME]`` candidates.

    Args:
        text: the (masked) text.
        blocked: spans no name may overlap (taken by other kinds, known names, keep words).
        common_words: words never taken as a name after a cue.
        name_like: words that are also names: a cued name among them is not looked for again
            elsewhere in the text.

    Returns:
        non-overlapping candidates, none overlapping ``blocked``.

    Example:
        >>> text = "Hi, this is Kevin from support. Kevin will call back."
        >>> [text[s:e] for s, e, _ in cued_names(text, [], {"support"}, set())]
        ['Kevin', 'Kevin']
    """
    context: list[Candidate] = []
    for regex, min_tokens, title in _CONTEXT_RE:
        pos = 0
        while (m := regex.search(text, pos)) is not None:
            span = accept_name(text, m.start("name"), m.group("name"), min_tokens, title, common_words)
            if span is not None:
                context.append((span[0], span[1], TAGS["name"]))
            # go on from the name, so a cue inside a rejected name tail is seen ("Mr X and Dr. Y")
            pos = max(m.start("name"), m.start() + 1) if span is None else span[1]
    context = pick_longest(context, blocked)
    if context:
        # the same unknown name elsewhere in this text ("… this is Kevin from … Kevin said")
        tokens = {
            tok
            for s, e, _ in context
            for tok in TOKEN_RE.findall(text[s:e])
            if len(tok) >= 3 and tok.casefold() not in name_like
        }
        if tokens:
            again = re.compile(
                r"(?<![\w\[])(?:" + "|".join(map(re.escape, sorted(tokens, key=len, reverse=True))) + r")(?![\w\]])"
            )
            blocked2 = list(blocked) + [(s, e) for s, e, _ in context]
            more = [(m.start(), m.end(), TAGS["name"]) for m in again.finditer(text)]
            context += pick_longest(more, blocked2)
    return context

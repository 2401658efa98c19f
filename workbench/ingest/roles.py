"""Who interviews and who is interviewed, decided per transcript without configuration.

For each transcript, every speaker label gets a role (``workbench.schema.ROLES``):

1. **Overrides**: a name that ``participants.csv`` lists (by name, or by ``speaker`` label
   for the file) is a participant; a name in ``interviewer_names`` of ``study.toml`` is an
   interviewer (the full name, the first or the last name; ``DANA`` matches
   "Dana Whitfield"). ``decided_by``: "participants.csv" or "study.toml".
2. **Labels that say the role**: Interviewer, Moderator, Researcher, Facilitator, Host,
   Q, Int, I, Assistant, AI, Observer, Note-taker… (with a number or a name in brackets:
   "Interviewer 2", "Dana (Moderator)") are interviewers; Agent, Advisor, Rep, Support are
   agents; User, Participant, Customer, Respondent, Interviewee, A, R, Client, Caller… are
   participants. ``decided_by``: "label".
3. **Failing those**, in a conversation of 2 to 4 speakers, the speaker who asks most of
   the questions (turns with a "?") is the interviewer, when they ask clearly more than
   everyone else: in at least 30% of their (two or more) turns, and twice the share of
   anyone else, or one and a half times when they spoke first with shorter turns. Two
   speakers who together pass that test are two interviewers. ``decided_by``: "asks the
   questions".
4. Everyone else is a participant. A call of 5 or more speakers with no interviewer
   named keeps everyone as a participant (``decided_by``: "no interviewer"): a community
   call, not an interview.

Generic labels ("User", "Participant 2", "Speaker 1", "A") name nobody: they are scoped
to their file (see :func:`is_generic_label`), so the ``User`` of 40 interviews is 40 people.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workbench import schema
from workbench.ingest.base import Turn

INTERVIEWER_WORDS = frozenset(
    """
    interviewer interviewers moderator moderators researcher researchers facilitator host co-host cohost
    q question int intv iv i assistant ai bot chatbot observer notetaker note-taker
    entrevistador entrevistadora moderador moderadora modérateur modératrice enquêteur enquêtrice
    intervistatore intervistatrice interviewerin moderatorin интервьюер модератор исследователь
    """.split()
) | {"ux researcher", "user researcher", "design researcher", "research lead", "note taker", "ai interviewer",
     "lead researcher", "research team", "study team", "interview team"}
AGENT_WORDS = frozenset({"agent", "advisor", "adviser", "rep", "representative", "support", "csr", "operator"})
PARTICIPANT_WORDS = frozenset(
    """
    participant participants user customer respondent interviewee interviewees a answer r p resp client caller
    patient member subject consumer shopper tester usuario usuaria participante entrevistado entrevistada
    teilnehmer teilnehmerin befragte befragter респондент участник участница
    """.split()
) | {"end user", "end-user"}
#: labels that name no one and no role: diarised speakers ("Speaker 1", "SPEAKER_00", "Unknown Speaker")
UNKNOWN_WORDS = frozenset({"speaker", "spk", "spkr", "unknown", "unknown speaker", "unidentified speaker", "voice",
                           "person", "guest", "unnamed"})

_SUFFIX = re.compile(r"(?:[\s#_.\-]*\d{1,3}|[\s#_.\-]+[a-z])?[\s.:]*$")
_PARTS = re.compile(r"\s*[(\[|/–—]\s*|\s*[)\]]\s*|\s+-\s+")
#: a conversation of more speakers than this with no interviewer named is a call, not an interview
MAX_SPEAKERS_FOR_QUESTION_RULE = 4


@dataclass
class SpeakerRole:
    """The role of one speaker label in one transcript, and why.

    Example:
        >>> SpeakerRole("Moderator", "interviewer", "label").role
        'interviewer'
    """

    label: str | None
    role: str
    decided_by: str


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip().strip("*_").strip()
    return " ".join(text.split())


def _base(part: str) -> str:
    """'Interviewer 2' → 'interviewer', 'Speaker_00' → 'speaker', 'P1' → 'p' (a trailing number or letter off)."""
    key = _key(part)
    stripped = _SUFFIX.sub("", key) if len(key) > 1 else key
    return stripped or key


def _parts(label: str) -> list[str]:
    """The label and its bracketed / piped parts: 'Dana (Moderator)' → ['dana (moderator)', 'dana', 'moderator']."""
    pieces = [p for p in _PARTS.split(label) if p and p.strip()]
    return [label] + (pieces if len(pieces) > 1 else [])


_JOINED = re.compile(r"\s+(?:and|or|&|\+)\s+|\s*/\s*", re.IGNORECASE)


def label_kind(label: str | None) -> str:
    """What a label says by itself: "interviewer", "agent", "participant", "unknown" or "name".

    Labels joined by "and", "or", "&", "/" ("Interviewee 1 or Interviewee 2") take the kind
    their parts share.

    Example:
        >>> [label_kind(x) for x in ["Interviewer 2", "Dana (Moderator)", "Support Agent", "User", "Speaker 1",
        ...                          "SPEAKER_00", "Maria Lopez", "Q", "A", "Assistant", "Interviewee 1 or Interviewee 2"]]
        ['interviewer', 'interviewer', 'agent', 'participant', 'unknown', 'unknown', 'name', 'interviewer', 'participant', 'interviewer', 'participant']
    """
    if not label or not label.strip():
        return "unknown"
    joined = [p for p in _JOINED.split(label) if p.strip()]
    if len(joined) > 1:
        kinds = {label_kind(p) for p in joined}
        if len(kinds) == 1 and kinds != {"name"}:
            return kinds.pop()
    for part in _parts(label):
        base = _base(part)
        words = base.split()
        if base in INTERVIEWER_WORDS:
            return "interviewer"
        if base in AGENT_WORDS or (words and (words[-1] in AGENT_WORDS - {"support"} or words[0] in AGENT_WORDS - {"support"})) \
                or base in {"customer service", "customer support", "support team"}:
            return "agent"
        if base in PARTICIPANT_WORDS:
            return "participant"
        if base in UNKNOWN_WORDS:
            return "unknown"
    return "name"


def is_generic_label(label: str | None) -> bool:
    """Whether a label names no person ("User", "Participant 3", "Speaker 1", "Q"): it is scoped to its file.

    Example:
        >>> is_generic_label("User"), is_generic_label("Interviewee 2"), is_generic_label("Maria Lopez")
        (True, True, False)
    """
    return label_kind(label) != "name" and person_name(label) is None


def person_name(label: str | None) -> str | None:
    """The personal name in a label, without role or organisation: None for a generic label.

    Example:
        >>> [person_name(x) for x in ["Dana (Interviewer)", "Interviewer (Dana)", "Saulius Grigaitis | Grandine",
        ...                           "Daniel Lehrner (Besu)", "User", "🦄 Ana Souza", "pk910", "Okafor, Chidi"]]
        ['Dana', 'Dana', 'Saulius Grigaitis', 'Daniel Lehrner', None, 'Ana Souza', 'pk910', 'Chidi Okafor']
    """
    if not label:
        return None
    pieces = [p.strip() for p in _PARTS.split(label) if p and p.strip()]
    if not pieces:
        return None
    names = [p for p in pieces if label_kind(p) == "name"]
    if not names:
        return None
    cleaned = "".join(ch for ch in names[0] if not unicodedata.category(ch).startswith(("S", "C"))).strip(" -–—·,")
    if cleaned.count(",") == 1:  # "Okafor, Chidi" as Teams and Outlook write names
        last, first = cleaned.split(",")
        cleaned = f"{first.strip()} {last.strip()}"
    return " ".join(cleaned.split()) or None


def names_match(label: str, names: Sequence[str]) -> bool:
    """Whether a speaker label is one of ``names`` (full, first or last name, any case).

    Example:
        >>> names_match("DANA", ["Dana Whitfield"]), names_match("Whitfield, Dana", ["Dana Whitfield"])
        (True, True)
        >>> names_match("Dan", ["Dana Whitfield"])
        False
    """
    person = person_name(label)
    if person is None:
        return False
    key = _key(person)
    for name in names:
        full = _key(name)
        words = full.split()
        if key == full or (words and key in {words[0], words[-1]} and " " not in key):
            return True
    return False


#: interview prompts that ask without a question mark ("Walk me through it.", "Tell me about…")
_PROMPT = re.compile(
    r"(?:^|[.!?;]\s+)(?:so,?\s+|now,?\s+|ok(?:ay)?,?\s+|please,?\s+)?(?:tell me|walk me through|talk me through|"
    r"take me through|describe|explain|show me|start (?:from|with|by)|go on|think (?:back|about)|"
    r"give me an example|share (?:with me|an example))\b",
    re.IGNORECASE,
)
#: a question back that only checks what was asked ("What do you mean?"): no sign of the interviewer
_CLARIFYING = re.compile(
    r"[^.!?]*\b(?:do you mean|you mean|what do you mean|sorry|pardon|(?:can|could) you repeat|say that again)"
    r"[^.!?]*\?(?:\s*or\b[^.!?]*\?)?",  # "What do you mean, X? Or only Y?" is one check
    re.IGNORECASE,
)


def _asks(text: str) -> bool:
    """Whether a turn asks: a question (not only a check of what was asked) or an interview prompt.

    Example:
        >>> _asks("Walk me through it."), _asks("What do you mean, the whole morning? Or only the commute?")
        (True, False)
    """
    if _PROMPT.search(text):
        return True
    return any(mark in _CLARIFYING.sub("", text) for mark in "?¿？")


def decide_roles(
    turns: Sequence[Turn],
    interviewer_names: Sequence[str] = (),
    is_listed_participant: Callable[[str], bool] = lambda label: False,
) -> tuple[dict[str | None, SpeakerRole], list[str]]:
    """The role of every speaker label of one transcript, and notes on what was decided.

    Args:
        turns: the transcript's turns (consecutive turns of one speaker merged).
        interviewer_names: the study team's names (``interviewer_names`` of study.toml).
        is_listed_participant: True for a label participants.csv names as a participant.

    Example:
        >>> turns = [Turn("Speaker 1", "How did you book?"), Turn("Speaker 2", "On the app."),
        ...          Turn("Speaker 1", "And then?"), Turn("Speaker 2", "It crashed.")]
        >>> roles, notes = decide_roles(turns)
        >>> [(label, r.role, r.decided_by) for label, r in roles.items()]
        [('Speaker 1', 'interviewer', 'asks the questions'), ('Speaker 2', 'customer', 'default')]
    """
    order: list[str | None] = []
    count: dict[str | None, int] = {}
    asked: dict[str | None, int] = {}
    words: dict[str | None, int] = {}
    for turn in turns:
        if turn.speaker not in count:
            order.append(turn.speaker)
            count[turn.speaker], asked[turn.speaker], words[turn.speaker] = 0, 0, 0
        count[turn.speaker] += 1
        asked[turn.speaker] += 1 if _asks(turn.text) else 0
        words[turn.speaker] += len(turn.text.split())
    roles: dict[str | None, SpeakerRole] = {}
    undecided: list[str | None] = []
    for label in order:
        kind = label_kind(label)
        if label is not None and is_listed_participant(label):
            roles[label] = SpeakerRole(label, schema.ROLE_CUSTOMER, "participants.csv")
        elif label is not None and names_match(label, interviewer_names):
            roles[label] = SpeakerRole(label, schema.ROLE_INTERVIEWER, "study.toml")
        elif kind == "interviewer":
            roles[label] = SpeakerRole(label, schema.ROLE_INTERVIEWER, "label")
        elif kind == "agent":
            roles[label] = SpeakerRole(label, schema.ROLE_AGENT, "label")
        elif kind == "participant":
            roles[label] = SpeakerRole(label, schema.ROLE_CUSTOMER, "label")
        else:
            undecided.append(label)
    notes: list[str] = []
    staff = any(r.role != schema.ROLE_CUSTOMER for r in roles.values())
    speakers = [label for label in order if label is not None]
    if not staff and undecided and 2 <= len(speakers) <= MAX_SPEAKERS_FOR_QUESTION_RULE:
        share = {label: asked[label] / count[label] for label in order}
        for interviewer in _questioners(order, undecided, share, count, words):
            roles[interviewer] = SpeakerRole(interviewer, schema.ROLE_INTERVIEWER, "asks the questions")
            undecided.remove(interviewer)
            staff = True
    why = "default" if staff or len(speakers) < 2 else "no interviewer"
    if why == "no interviewer":
        notes.append(
            f"no interviewer found among {len(speakers)} speakers: all are taken as participants; "
            "name the interviewers in study.toml ([ingest] interviewer_names) if this was an interview"
        )
    for label in undecided:
        roles[label] = SpeakerRole(label, schema.ROLE_CUSTOMER, why)
    return {label: roles[label] for label in order}, notes


def _questioners(
    order: list[str | None], undecided: list[str | None], share: dict, count: dict, words: dict
) -> list[str | None]:
    """The one or two speakers who ask clearly more questions than everyone else, in order of speaking.

    A group (one speaker, else two) is chosen when each of its speakers asks in at least 30% of
    their turns (and spoke at least twice), and the group's lowest share is twice the highest
    share of the others; a single speaker who spoke first with shorter turns needs 1.5 times.
    """
    ranked = sorted(undecided, key=lambda label: (-share[label], order.index(label)))
    for size in (1, 2):
        group = ranked[:size]
        rest = [label for label in order if label not in group]
        if len(group) < size or len(rest) < 1 or any(count[g] < 2 or share[g] < 0.3 for g in group):
            return []
        low, top_rest = min(share[g] for g in group), max(share[r] for r in rest)
        if low >= 2 * top_rest:
            return sorted(group, key=order.index)
        if size == 1:
            first = order[0] == group[0]
            shorter = words[group[0]] / count[group[0]] < min(words[r] / max(count[r], 1) for r in rest)
            if low >= 1.5 * top_rest and first and shorter:
                return group
    return []

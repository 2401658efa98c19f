"""What each analysis unit is about: a pain, a delight, a purchase, or context about the person.

A pain-point list is for what goes wrong. Two other things customers say must stay out of it:

* **context**: what describes the person rather than the service: their work ("I'm a nurse,
  I work shifts"), their household ("me, my husband and three kids"), how often and how they
  buy or travel ("forty trips a year", "always on the app"), where they live, and the small
  talk of an interview ("Happy to help.", "Cheers."). These units go to persona building (they
  stay in the segments and passages tables), never to pain-point clustering;
* **delight**: what works ("the agent rang me back himself"). Delights are grouped on their
  own and listed as "What works", never among pain points.

:func:`unit_kinds` decides per unit from signals that hold in any industry: the unit's moment
and sentiment (:mod:`workbench.analysis.sentiment`), cue rules for self-description, household,
habits and small talk (:data:`CONTEXT_CUES`), and, for interviews, where the answer sits (the
first answers of an interview are usually the warm-up about the person). The rules never name a
product, brand or industry.

Example:
    >>> texts = ["I'm a nurse, so I work shifts, and I travel twice a year with my sister.",
    ...          "The app logged me out and the code never arrived.",
    ...          "The agent rang me back himself, brilliant service.",
    ...          "Cheers, happy to help."]
    >>> unit_kinds(texts, ["neutral", "pain", "delight", "delight"], [0.2, -0.6, 0.8, 0.7])
    ['context', 'pain', 'delight', 'context']
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

import pandas as pd

from workbench.analysis.pattern_search import PatternSearch
from workbench.errors import WorkbenchError
from workbench.runtime.workers import map_chunks

__all__ = ["CONTEXT_CUES", "GROUP_KINDS", "KINDS", "PAINPOINT_KINDS", "POSITIVE_QUESTIONS", "REACTION_PROBES",
           "SMALL_TALK", "answer_positions", "context_signals", "interview_turns", "is_reaction_probe",
           "painpoint_kind", "row_kinds", "unit_kinds"]

#: unit kinds, in the order reports list them
KINDS = ("pain", "purchase", "neutral", "delight", "context")
#: kinds of a group of units (the ``kind`` column of the pain-points table)
GROUP_KINDS = ("pain", "mixed", "purchase", "delight", "context", "other")
#: the group kinds listed as pain points (delights are "What works", context goes to personas)
PAINPOINT_KINDS = ("pain", "mixed")

_N = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|\d+)"
_PERIOD = r"(?:day|week|month|year|summer|winter|quarter|weekend)"
_KIN = (r"(?:wife|husband|partner|spouse|kids|children|child|son|sons|daughter|daughters|family|parents|mother|"
        r"father|mum|mom|dad|grandchildren|grandkids|grandson|granddaughter|sister|brother|boys|girls|lads|baby|"
        r"twins|toddler|teenagers?|in-laws|mother-in-law|father-in-law|girlfriend|boyfriend|fianc[ée]e?)")

_JOBS = (r"(?:consultant|engineer|nurse|teacher|schoolteacher|student|director|manager|designer|developer|writer|"
         r"lawyer|doctor|accountant|architect|farmer|driver|pilot|chef|cook|cleaner|carer|caregiver|pharmacist|"
         r"dentist|vet|scientist|researcher|analyst|programmer|salesman|saleswoman|salesperson|rep|representative|"
         r"freelancer|contractor|builder|electrician|plumber|mechanic|technician|officer|soldier|police\w*|"
         r"firefighter|paramedic|midwife|professor|lecturer|tutor|academic|journalist|editor|photographer|artist|"
         r"musician|actor|retiree|pensioner|homemaker|housewife|househusband|stay-at-home \w+|owner|founder|"
         r"entrepreneur|executive|ceo|cfo|cto|administrator|assistant|secretary|receptionist|clerk|cashier|"
         r"\w+ist|\w+ian)")

#: cue families that describe the person, not the service (regular expressions, case-insensitive):
#: "self" (work, studies, where they live), "habit" (how often and how they buy or travel) and
#: "household" (who they live and travel with; weak alone: stories mention family too)
CONTEXT_CUES: dict[str, tuple[str, ...]] = {
    "self": (
        rf"\b(?:I'?m|I am|I was|I work as) (?:a|an) (?:retired |junior |senior |head |chief |freelance |self-employed |"
        rf"trainee |student |part-time |full-time |\w+ ){{0,2}}{_JOBS}\b",
        r"\bI work (?:as|in|for|at|from home|shifts|nights|part[- ]time|full[- ]time)\b",
        r"\b(?:I'?m|I am|we'?re|we are) (?:retired|self-employed|freelance|a student|students|studying|"
        r"based in|in my (?:first|second|third|fourth|final|last) year)\b",
        r"\b(?:I|we) (?:live|grew up) (?:in|near|outside|just outside|abroad)\b|\bbased in\b",
        r"\bmy (?:job|studies|degree|line of work)\b|\bfor a living\b",
        r"\b(?:I|we) (?:run|own|manage) (?:a|an|our|my) (?:small |little |family |local )?(?:\w+ )?(?:business|company|"
        r"shop|firm|practice|farm|restaurant|hotel|charity|bakery|cafe|café|salon|studio|clinic|agency|store|pub|bar|"
        r"garage|school)\b",
        r"\b(?:since|when) (?:I|we|he|she) (?:retired|moved here|started working)\b",
    ),
    "habit": (
        rf"\b(?:once|twice|three times|four times|{_N} times|{_N} or {_N} times|{_N} (?:trips|visits|orders|nights|stays|"
        rf"flights|bookings|purchases)) (?:a|per|each|every) {_PERIOD}\b",
        rf"\bevery (?:other |couple of |few )?(?:{_N} )?{_PERIOD}s?\b(?! (?:or so )?(?:it|the|they|he|she|you)\b)",
        rf"\b{_N} (?:weeks|days|months) out of {_N}\b|\bon the road\b",
        r"\bI (?:always|usually|mostly|normally|generally|tend to) (?:use|book|fly|travel|order|buy|shop|go|ring|call|"
        r"pay|stay|drive|take|pick|choose)\b|\b(?:always|usually|mostly) (?:the|on the|by|via|through|online|"
        r"in person|over the phone)\b",
        r"\b(?:I|we|and) (?:travel|fly|shop|order|commute) (?:for (?:work|pleasure|fun|business)|a lot|mostly|constantly|often|"
        r"regularly|all the time)\b|\bfor (?:work|business|pleasure) mostly\b|\bmostly for (?:work|business|pleasure)\b",
        r"\bI'?ve been (?:with|using|banking with|shopping with|a (?:customer|member|client)(?: of| with| at)?) "
        r"(?:\w+ ){0,3}?(?:for )?(?:maybe |about |around |over |nearly |almost )?(?:\w+ )?(?:years|months)\b",
        r"\bI (?:do|handle|make|organi[sz]e|plan) (?:all )?(?:the |our |of the )?(?:booking|bookings|planning|"
        r"shopping|ordering|paperwork)\b",
    ),
    "household": (
        rf"^(?:\W*(?:so|well|yes|yeah|um|uh|oh|okay|ok)\W+)*(?:it'?s |with )?(?:me(?:,| and)|the|my|our) {_KIN}\b",
        rf"\b(?:me|I), my {_KIN}\b",
        rf"\b{_N} (?:kids|children|boys|girls|lads|sons|daughters|grandchildren)(?:,| aged| of)? (?:{_N}|aged)\b",
        r"\b(?:we are|we're) (?:two|three|four|five|six|seven)\b(?! (?:hours|days|minutes))",
    ),
}

#: small talk of an interview: greetings, thanks, pleasantries (the whole unit, short)
SMALL_TALK = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hiya|morning|good (?:morning|afternoon|evening)|bonjour|hola|ciao|cheers|thanks|"
    r"thank you|you'?re welcome|no (?:problem|worries|bother)|sure|of course|happy to(?: help)?|my pleasure|"
    r"bye|good ?bye|good luck(?: with it)?|take care|cool|great|yes|yeah|yep|okay|ok|fine|aye|loud and clear|"
    r"that'?s fine|not at all|anytime|absolutely)\b[\s,.!?;:-]*)+",
    re.IGNORECASE,
)

#: interviewer probes that ask how a story felt: the answer is a reaction to that story, not a new topic
REACTION_PROBES: tuple[str, ...] = (
    r"\bhow did (?:that|it|this|you|they) (?:make you |leave you )?feel\b", r"\bhow (?:do|did|does) (?:that|it|you) feel\b",
    r"\bhow did you feel\b", r"\bhow was that for you\b", r"\bwhat was that like\b", r"\bhow did you react\b",
    r"\bwhat went through your (?:head|mind)\b", r"\bhow did (?:that|it) (?:affect|leave) you\b",
)
#: interviewer questions that ask what went well: their answers tell delights unless they tell a pain
POSITIVE_QUESTIONS: tuple[str, ...] = (
    r"\b(?:went|go|goes|going) well\b", r"\benjoy(?:ed|able)?\b", r"\bpositive\b", r"\bliked?\b(?! to\b)",
    r"\b(?:good|best|great|nice) (?:experience|moment|part|thing|bit)s?\b", r"\bworth it\b", r"\bdelight\w*\b",
    r"\bpleasant\w*\b", r"\bimpress\w*\b", r"\bpleased\b", r"\banything good\b",
)

_WORD = re.compile(r"[A-Za-z0-9'’\[\]]+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def is_reaction_probe(question: str) -> bool:
    """Whether an interviewer's question asks how the story just told felt (:data:`REACTION_PROBES`).

    Example:
        >>> is_reaction_probe("How did that make you feel?"), is_reaction_probe("What did you do next?")
        (True, False)
    """
    return isinstance(question, str) and any(re.search(p, question, re.IGNORECASE) for p in REACTION_PROBES)


def _asks_for_positives(question: str) -> bool:
    return isinstance(question, str) and any(re.search(p, question, re.IGNORECASE) for p in POSITIVE_QUESTIONS)


@functools.lru_cache(maxsize=1)
def _family_patterns() -> dict[str, re.Pattern[str]]:
    """Each cue family of :data:`CONTEXT_CUES` as one compiled pattern (matches where any of its patterns would)."""
    return {family: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
            for family, patterns in CONTEXT_CUES.items()}


def context_signals(text: str) -> set[str]:
    """The cue families of :data:`CONTEXT_CUES` found in ``text`` (plus "small_talk").

    Example:
        >>> sorted(context_signals("We are five, my wife and three boys. We travel twice a year."))
        ['habit', 'household']
        >>> sorted(context_signals("Thanks, good luck with it!"))
        ['small_talk']
        >>> context_signals("The refund took seven weeks.")
        set()
    """
    found = {family for family, pattern in _family_patterns().items() if pattern.search(text)}
    opening = SMALL_TALK.match(text)
    if opening and _words(text[opening.end():]) <= 6:
        found.add("small_talk")
    return found


def unit_kinds(
    texts: Sequence[str],
    moments: Sequence[str],
    sentiments: Sequence[float],
    answer_positions: Sequence[int | None] | None = None,
    questions: Sequence[str | None] | None = None,
) -> list[str]:
    """The kind of each unit: ``context``, ``delight``, ``pain``, ``purchase`` or ``neutral``.

    A unit is **context** when it is small talk, or when it describes the person and tells no
    clear pain (rules below); otherwise its kind is its moment. With ``n`` the number of the
    strong cue families "self" and "habit" it shows and ``household`` whether it names the
    people the customer lives or travels with:

    * the first answer of an interview (the warm-up about the person): context unless it is a
      pain moment without any cue;
    * the second answer: context with any cue, sentiment above -0.5;
    * anywhere: context with both strong families (sentiment above -0.5), or with one strong
      family plus ``household`` or in a short unit (at most 30 words), when it is no pain moment.

    A household mention alone never makes context later in an interview or in feedback: stories
    of what went wrong name the family too ("we arrived with the kids and the room was gone").

    A neutral answer to a question about what went well (:data:`POSITIVE_QUESTIONS`: "Was there
    any part of that trip that went well?") is a delight: "Actually, yes, the lady at the desk…".

    Args:
        texts: the units' texts.
        moments: their moments (:func:`workbench.analysis.sentiment.classify_moments`).
        sentiments: their sentiment scores in [-1, 1].
        answer_positions: per unit, the place of its answer among the customer's answers of an
            interview (1 = first); None for feedback items, or None for all.
        questions: per unit, the interviewer's question it answers (None for feedback), or None.

    Example:
        >>> unit_kinds(["Forty trips a year, I always fly business.", "Forty minutes on hold, twice."],
        ...            ["neutral", "pain"], [0.0, -0.5])
        ['context', 'pain']
    """
    n = len(texts)
    if (len(moments) != n or len(sentiments) != n or (answer_positions is not None and len(answer_positions) != n)
            or (questions is not None and len(questions) != n)):
        raise WorkbenchError(
            f"unit_kinds: got {n} texts, {len(moments)} moments, {len(sentiments)} scores"
            + (f" and {len(answer_positions)} answer positions" if answer_positions is not None else "")
            + "; pass one of each per unit"
        )
    kinds = []
    texts = [text if isinstance(text, str) else "" for text in texts]
    signals = map_chunks(_all_context_signals, texts, batched=True)  # on every core for large inputs
    for index, (text, moment, score) in enumerate(zip(texts, moments, sentiments)):
        moment = str(moment) if moment in KINDS else "neutral"
        position = answer_positions[index] if answer_positions is not None else None
        if _is_context(text, moment, float(score), position, signals[index]):
            kinds.append("context")
        elif moment == "neutral" and questions is not None and _asks_for_positives(questions[index]):
            kinds.append("delight")
        else:
            kinds.append(moment)
    return kinds


def _all_context_signals(texts: list[str]) -> list[set[str]]:
    """``[context_signals(text) for text in texts]``, each cue pattern searched over all texts at once."""
    search = PatternSearch(texts)
    found: list[set[str]] = [set() for _ in texts]
    for family, patterns in CONTEXT_CUES.items():
        for pattern in patterns:
            for row in search.rows_matching(_compiled(pattern)):
                found[row].add(family)
    for index, text in enumerate(texts):
        opening = SMALL_TALK.match(text)
        if opening and _words(text[opening.end():]) <= 6:
            found[index].add("small_talk")
    return found


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _is_context(text: str, moment: str, score: float, position: int | None, signals: set[str]) -> bool:
    if "small_talk" in signals:
        return True
    strong = len(signals & {"self", "habit"})
    household = "household" in signals
    if position == 1 and (signals or moment != "pain"):
        return True
    if position == 2 and signals and score > -0.5:
        return True
    if strong >= 2 and score > -0.5:
        return True
    return strong == 1 and moment != "pain" and (household or _words(text) <= 30)


def interview_turns(units: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Where each unit sits in its interview: its answer's position, the question it answers and
    the unit whose story it continues.

    Columns, one row per unit (same index): ``answer_position`` (:func:`answer_positions`),
    ``question`` (the interviewer's turn just before the answer; None for feedback or a first
    turn) and ``previous_unit`` (the row, in ``units``, of the last passage of the speaker's
    previous answer; -1 when there is none).

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["q1", "a1", "q2", "a2"], "source_id": ["i1"] * 4,
        ...     "source_kind": ["interview"] * 4, "role": ["interviewer", "customer"] * 2, "turn": [1, 2, 3, 4],
        ...     "participant_id": [None, "P1", None, "P1"], "text_redacted": ["Tell me about it.", "It broke.",
        ...     "How did that make you feel?", "Angry."]})
        >>> units = pd.DataFrame({"segment_id": ["a1", "a1", "a2"], "passage_id": ["a1-1", "a1-2", "a2-1"]})
        >>> interview_turns(units, segments).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
        {'answer_position': [1, 1, 2], 'question': ['Tell me about it.', 'Tell me about it.', 'How did that make you feel?'],
         'previous_unit': [-1, -1, 1]}
    """
    table = pd.DataFrame({"answer_position": answer_positions(units, segments)}, index=units.index, dtype=object)
    table["question"] = None
    table["previous_unit"] = -1
    needed = {"segment_id", "source_id", "source_kind", "role", "turn", "text_redacted"}
    if not needed <= set(segments.columns) or "segment_id" not in units.columns:
        return table
    ordered = segments[segments["source_kind"] == "interview"].copy()
    ordered["turn_number"] = pd.to_numeric(ordered["turn"], errors="coerce")
    ordered = ordered[ordered["turn_number"].notna()].sort_values(["source_id", "turn_number"], kind="stable")
    question_of: dict[str, str | None] = {}
    previous_answer: dict[str, str | None] = {}
    for _source, turns in ordered.groupby("source_id", sort=False):
        question, last_answer = None, {}
        for row in turns.itertuples():
            if row.role == "customer":
                speaker = str(getattr(row, "participant_id", "") or "")
                question_of[str(row.segment_id)] = question
                previous_answer[str(row.segment_id)] = last_answer.get(speaker)
                last_answer[speaker] = str(row.segment_id)
            else:
                question = str(row.text_redacted) if isinstance(row.text_redacted, str) else None
    last_row: dict[str, int] = {}
    for position, segment in enumerate(units["segment_id"].astype(str)):
        last_row[segment] = position
    segments_of_units = units["segment_id"].astype(str).tolist()
    table["question"] = [question_of.get(s) for s in segments_of_units]
    table["previous_unit"] = [last_row.get(previous_answer.get(s) or "", -1) for s in segments_of_units]
    return table


def answer_positions(units: pd.DataFrame, segments: pd.DataFrame) -> list[int | None]:
    """Per unit, the place of its answer among its speaker's answers in an interview (1 = first).

    Customer turns of interviews are numbered in turn order per source and participant; units
    of feedback items (or of segments without ``turn``) get None.

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c", "d"], "source_id": ["i1"] * 3 + ["f"],
        ...     "source_kind": ["interview"] * 3 + ["feedback"], "role": ["interviewer", "customer", "customer", "customer"],
        ...     "turn": [1, 2, 4, None], "participant_id": [None, "P1", "P1", None]})
        >>> answer_positions(pd.DataFrame({"segment_id": ["c", "b", "b", "d"]}), segments)
        [2, 1, 1, None]
    """
    needed = {"segment_id", "source_id", "source_kind", "role", "turn"}
    if not needed <= set(segments.columns) or "segment_id" not in units.columns:
        return [None] * len(units)
    answers = segments[(segments["role"] == "customer") & (segments["source_kind"] == "interview")].copy()
    answers["turn_number"] = pd.to_numeric(answers["turn"], errors="coerce")
    answers = answers[answers["turn_number"].notna()]
    speaker = answers["participant_id"] if "participant_id" in answers.columns else pd.Series("", index=answers.index)
    answers["speaker_key"] = speaker.fillna("").astype(str)
    answers = answers.sort_values(["source_id", "speaker_key", "turn_number"], kind="stable")
    answers["position"] = answers.groupby(["source_id", "speaker_key"]).cumcount() + 1
    positions = dict(zip(answers["segment_id"].astype(str), answers["position"].astype(int)))
    return [positions.get(str(s)) for s in units["segment_id"]]


def painpoint_kind(unit_kinds_of_group: Sequence[str], sentiment_mean: float) -> str:
    """The kind of a group from its units' kinds: context, delight, purchase, pain or mixed.

    Half or more context units: ``context``; half or more delights: ``delight``; else a
    ``purchase`` group when purchase moments are at least 30 % and no fewer than pain moments;
    a ``pain`` group with 30 % pain moments or a mean sentiment of -0.15 or lower; else ``mixed``.

    Example:
        >>> painpoint_kind(["pain", "neutral", "pain", "purchase"], -0.1)
        'pain'
        >>> painpoint_kind(["purchase", "purchase", "neutral", "pain"], 0.3)
        'purchase'
        >>> painpoint_kind(["delight", "delight", "neutral"], 0.6)
        'delight'
    """
    counts = Counter(str(k) for k in unit_kinds_of_group)
    total = sum(counts.values()) or 1
    if counts["context"] / total >= 0.5:
        return "context"
    if counts["delight"] / total >= 0.5:
        return "delight"
    if counts["purchase"] / total >= 0.3 and counts["purchase"] >= counts["pain"]:
        return "purchase"
    if counts["pain"] / total >= 0.3 or sentiment_mean <= -0.15:
        return "pain"
    return "mixed"


def row_kinds(painpoints: pd.DataFrame) -> pd.Series:
    """The kind of each row of a pain-points table, for results of any age.

    Rows with the id ``other`` (or ``context``) are that kind; a table saved before kinds existed
    (no ``kind`` column, or an empty cell) counts its rows as pain points.

    Example:
        >>> table = pd.DataFrame({"painpoint_id": ["PP01", "PP02", "context", "other"],
        ...                       "kind": ["pain", "delight", None, "other"]})
        >>> row_kinds(table).tolist()
        ['pain', 'delight', 'context', 'other']
        >>> row_kinds(pd.DataFrame({"painpoint_id": ["PP01", "other"]})).tolist()
        ['pain', 'other']
    """
    ids = painpoints["painpoint_id"].astype(str).str.lower() if "painpoint_id" in painpoints.columns else None
    given = painpoints["kind"] if "kind" in painpoints.columns else pd.Series(None, index=painpoints.index)
    kinds = []
    for position, value in enumerate(given):
        pid = ids.iloc[position] if ids is not None else ""
        if pid in ("other", "context"):
            kinds.append(pid)
        elif isinstance(value, str) and value in GROUP_KINDS:
            kinds.append(value)
        else:
            kinds.append("pain")
    return pd.Series(kinds, index=painpoints.index, dtype=object)

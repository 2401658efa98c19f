"""Speaker labels: which prefix of a line, cue or cell names a speaker, and a file's cast.

A transcript marks its speakers by position: a ``<v Name>`` voice tag or a ``Name:``
prefix at the start of a subtitle cue, a ``Name:`` line, ``[Name] 10:02:03`` (Zoom),
``Name  0:03`` (Otter.ai, Teams .docx), ``Name (00:01:02):`` (Rev), a bold run or a
table cell in Word. Display names come as people type them: handles (``jochem-brouwer``,
``pk910``), a pipe or brackets (``Saulius Grigaitis | Grandine``, ``Daniel Lehrner (Besu)``),
emoji, any script (``Иван``, ``李明``, ``محمد``). So a label is judged in two steps.

1. **Strength of the label alone** (:func:`label_strength`):

   * ``strict``: 1–4 capitalised words, letters of any script, digits, ``. ' -``
     ("Dana Whitfield", "Participant 3", "Q", "李明"), optionally with a role in
     brackets ("Interviewer (Dana)"): the rule of :func:`is_speaker_label`;
   * ``name``: a plausible display name that is not strict: a single token handle
     ("danceratopz", "jochem-brouwer", "@maria", "🦄"), capitalised words with a pipe,
     brackets or emoji ("Saulius Grigaitis | Grandine"), "Last, First";
   * ``weak``: a few lower-case words ("john smith") that may be a name or prose;
   * none: a note or header word (``Note``, ``Date``, ``Update`` … see
     :data:`NOT_SPEAKER_WORDS`), a word that opens prose (``also``, ``so``, ``basically``),
     a URL, a time, a question, or more than 8 words.

2. **The file's cast** (:func:`accepted_labels`): a strict label is always a speaker; a
   ``name`` label is one when it recurs at line starts or the file is *labelled
   densely* (at least 3 labelled lines making 30% of its lines, 50% of cues for
   subtitles); a ``weak`` label needs both (or, in subtitles, a dense file). A layout
   that marks a speaker by itself (``[Name] 10:02:03``, ``Name  0:03`` with two spaces,
   a bold run, a voice tag) raises the label one step.

A colon inside a sentence is never a label: the colon must be followed by a space
or the end of the line (``10:30``, ``https://…`` never split), and the prefix must pass
the rules above ("Note: …", "so I said: no").
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.ingest.timecodes import BRACKETED_TIME, TIME_PATTERN, parse_timestamp

STRICT, NAME, WEAK = "strict", "name", "weak"
_RANK = {WEAK: 1, NAME: 2, STRICT: 3}

#: first words (lower case) that open notes and header lines, not speaker labels
NOT_SPEAKER_WORDS = frozenset(
    """
    note notes nb n.b. ps p.s. pps date time title subject re fw fwd location place
    venue duration length recording recorded transcript transcription transcribed session
    summary topic topics agenda attendees participants present update edit edited example
    e.g. i.e. eg ie tip warning caution source project study language kind style
    interview file url link website web email e-mail mail phone tel telephone mobile
    address ref reference booking order invoice total price cost step chapter section
    page figure table answer question keywords speakers
    """.split()
)
# "answer"/"question" are excluded because "Question 3: …" is usually a heading
# of an interview guide, while "Q:"/"A:" are kept as labels.

#: lower-case first words that open a sentence with a colon ("also: …", "so basically: …")
PROSE_OPENERS = frozenset(
    """
    also so and but or then well anyway basically honestly actually like i we you he she it they
    this that these those there here what why how when where who which because if yes no ok okay
    fix fixed bug todo to-do tip hint pros cons goal goals reason result results problem problems
    issue issues solution context background conclusion outcome takeaway takeaways quote quotes
    definition important caveat disclaimer translation correction clarification aside eta fyi btw
    tl;dr tldr lol action actions next first second third finally meanwhile however plus bonus
    """.split()
)

#: small words of prose that no display name of lower-case words holds ("the question is: …")
_FUNCTION_WORDS = frozenset(
    """
    the a an is are was were be been am of to in on at for with from by about as into my your our their his
    her its me us them what which who whom whose that this these those but not no do does did have has
    had will would can could should may might must there here
    """.split()
)

#: lower-case words allowed inside a name ("Ana de Souza", "Ludwig van Beethoven")
_NAME_PARTICLES = frozenset(
    "de da del della der den di do dos das du la le van von ter ten bin ibn al el y e".split()
)
_MAX_LABEL_CHARS = 60
#: a caseless word (CJK, Arabic, Hebrew…) longer than this is more likely a phrase than a name
_MAX_CASELESS_WORD = 10

_WORD = r"[\w.'’\-]+"  # underscores are refused in is_speaker_label
_WORD_RE = re.compile(_WORD)
_COLON = "[:：]"
_LABEL = rf"(?P<label>{_WORD}(?: {_WORD}){{0,3}})(?P<role>\s*\([^()\d:\[\]]{{1,30}}\))?"
#: a date before a clock time, as chat and AI-interview exports write it: ``[2024-05-01 10:02:03] User: …``
_DATE = r"(?:\d{4}-\d{2}-\d{2}[ T]|\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s+)"
_DATE_RE = re.compile(_DATE)
_AM_PM = r"(?:\s?[AaPp]\.?[Mm]\.?)?"
_LEAD = rf"[\[(]\s*{_DATE}?{TIME_PATTERN}{_AM_PM}\s*[\])]|{_DATE}?{TIME_PATTERN}{_AM_PM}"
_SPEAKER_PREFIX = re.compile(
    rf"\s*(?:(?P<lead>{_LEAD})\s+)?"
    rf"{_LABEL}"
    rf"(?:\s*(?P<mid>{BRACKETED_TIME}))?"
    rf"\s?{_COLON}(?=\s|$|[^\W\d_])\s*"
    rf"(?:(?P<after>{BRACKETED_TIME})\s*)?"
)
_LABEL_THEN_TIME = re.compile(rf"\s*{_LABEL}\s+(?P<time>{BRACKETED_TIME}|{TIME_PATTERN})\s*$")
#: any prefix up to the first colon that is followed by a space or the line end
_LOOSE_PREFIX = re.compile(
    rf"\s*(?:(?P<lead>{_LEAD})\s+)?"
    rf"(?P<label>[^:：\n]{{1,80}}?)"
    rf"(?:\s*(?P<mid>{BRACKETED_TIME}))?"
    rf"\s?{_COLON}(?=\s|$)\s*"
    rf"(?:(?P<after>{BRACKETED_TIME})\s*)?"
)
#: Zoom's saved transcript: ``[Display Name] 10:02:03`` alone on a line
_BRACKETED_NAME_THEN_TIME = re.compile(rf"\s*\[(?P<label>[^\[\]\n]{{1,80}})\]\s+(?P<time>{TIME_PATTERN})\s*$")
#: Otter.ai and Teams .docx: ``Display Name  0:03`` alone on a line
_NAME_THEN_TIME = re.compile(rf"\s*(?P<label>\S[^\n]{{0,79}}?)(?P<gap>\s+)(?P<time>{BRACKETED_TIME}|{TIME_PATTERN})\s*$")
#: markdown emphasis around a label: ``**Assistant:**`` or ``**User**:``
_EMPHASIS = re.compile(r"\s*(\*\*|__)(?P<inner>[^*_\n]{1,80}?)\1")
_PARENTHESES = re.compile(r"\s*[(\[][^()\[\]]{0,40}[)\]]")
_TIME_INSIDE = re.compile(r"\d:\d")
_SENTENCE_MARKS = frozenset('?!;"“”«»…')
#: a list item: ``- ``, ``* ``, ``• ``, ``1. ``, ``2) `` (subtitle dialogue dashes are removed before this is asked)
_LIST_ITEM = re.compile(r"\s*(?:[-*•·–—]|\d{1,2}[.)])\s+")
_PHONE_LABEL = re.compile(r"\+?\d[\d *().\-]{5,24}")
#: the speaker prefix must be found within this many characters of the line start
_PREFIX_WINDOW = 200


@dataclass
class SpeakerLine:
    """A line split into speaker label, optional start time, and the words.

    Example:
        >>> split_speaker_line("[00:01:02] Dana: hi")
        SpeakerLine(speaker='Dana', start_s=62.0, text='hi')
    """

    speaker: str
    start_s: float | None
    text: str


@dataclass
class LabelCandidate:
    """A prefix that may name a speaker, waiting for the file's cast to decide.

    Attributes:
        line: the split line, as it would be read if the label is accepted.
        strength: ``strict``, ``name`` or ``weak`` (:func:`label_strength`).
        marked: the layout itself marks a speaker (``[Name] 10:02:03``, ``Name  0:03``).

    Example:
        >>> candidate = find_label_candidate("pk910: +1 on that")
        >>> candidate.line.speaker, candidate.strength, candidate.marked
        ('pk910', 'name', False)
    """

    line: SpeakerLine
    strength: str
    marked: bool = False


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace into one space and trim the ends.

    Example:
        >>> normalise_space("  a\\t b\\n c ")
        'a b c'
    """
    return " ".join(text.split())


def _is_caseless_letter(ch: str) -> bool:
    return ch.isalpha() and not ch.isupper() and not ch.islower()


def _capitalised(word: str) -> bool:
    """Starts like a name: upper-case letter, a caseless script (CJK, Arabic…), or a digit."""
    first = word[0]
    return first.isupper() or first.isdigit() or _is_caseless_letter(first)


def is_speaker_label(label: str) -> bool:
    """Whether ``label`` (without the colon) passes the strict speaker-label rule.

    1 to 4 words of letters (any script), digits, ``.``, ``'``, ``’``, ``-``; at most 40
    characters; the first word capitalised (or of a script without case, at most 10
    letters), the others capitalised, digits or name particles (``de``, ``van``…); the
    first word not a note or header word.

    Example:
        >>> [is_speaker_label(x) for x in ["Q", "Dana Whitfield", "Participant 3", "JAMES", "Ana de Souza", "李明"]]
        [True, True, True, True, True, True]
        >>> [is_speaker_label(x) for x in ["Note", "my answer", "https", "Date", "The Booking Was Very Late"]]
        [False, False, False, False, False]
    """
    label = label.strip()
    if not label or len(label) > 40:
        return False
    words = label.split(" ")
    if len(words) > 4 or any(not word for word in words):
        return False
    if "_" in label or not _WORD_RE.fullmatch(words[0]) or words[0][0].isdigit() or not _capitalised(words[0]):
        return False
    if words[0].lower() in NOT_SPEAKER_WORDS:
        return False
    for word in words:
        if not _WORD_RE.fullmatch(word):
            return False
        if _is_caseless_letter(word[0]) and len(word) > _MAX_CASELESS_WORD:
            return False
        if word is not words[0] and not (_capitalised(word) or word in _NAME_PARTICLES):
            return False
    return True


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in {"So", "Sk", "Cs"}


def label_strength(label: str) -> str | None:
    """How much ``label`` alone looks like a speaker's name: ``strict``, ``name``, ``weak`` or None.

    Example:
        >>> [label_strength(x) for x in ["Dana Whitfield", "jochem-brouwer", "Saulius Grigaitis | Grandine",
        ...                              "john smith", "Note", "so basically", "at 10:30", "Why not?", "the point is"]]
        ['strict', 'name', 'name', 'weak', None, None, None, None, None]
        >>> label_strength("+44 7700 900123"), label_strength("2024")
        ('name', None)
    """
    label = normalise_space(label)
    if not label or len(label) > _MAX_LABEL_CHARS:
        return None
    if "://" in label or label.lower().startswith("www.") or any(ch in _SENTENCE_MARKS for ch in label):
        return None
    if _PHONE_LABEL.fullmatch(label) and sum(ch.isdigit() for ch in label) >= 7:
        return NAME  # a dial-in caller as Zoom or Teams shows one: "+44 7700 900123", "+1 415***1234"
    if _TIME_INSIDE.search(label) or not any(ch.isalpha() or _is_symbol(ch) for ch in label):
        return None
    words = label.split()
    first = words[0].strip("([{@#*_'\"").rstrip(".,").casefold()
    if len(words) > 8 or first in NOT_SPEAKER_WORDS or first in PROSE_OPENERS or first.isdigit():
        return None
    if label.endswith((",", ":", "-", "–")):  # "12 March 2025, 14:02" is a date line, not a name
        return None
    if is_speaker_label(label) or is_speaker_label(_PARENTHESES.sub("", label).strip()):
        return STRICT
    core = _PARENTHESES.sub("", label.split("|")[0]).strip(" -–—·,")
    core_words = [w for w in core.replace(",", " ").split() if any(ch.isalnum() for ch in w)]
    if not core_words:
        return NAME if any(_is_symbol(ch) for ch in label) else None
    if len(core_words) == 1 and len(core_words[0]) <= 40:
        return NAME  # a handle: danceratopz, pk910, jochem-brouwer, @maria
    named = [w for w in core_words if _capitalised(w.lstrip("@#")) or w in _NAME_PARTICLES]
    if len(core_words) <= 4 and len(named) == len(core_words) and core.count(",") <= 1:
        return NAME
    if any(w.casefold() in _FUNCTION_WORDS for w in core_words):
        return None
    if len(core_words) <= 3 and all(w.islower() for w in core_words):
        return WEAK
    return WEAK if 2 * len(named) >= len(core_words) else None


def _strip_emphasis(line: str) -> str:
    """``**Assistant:** hi`` → ``Assistant: hi`` (markdown bold or underline around the label)."""
    match = _EMPHASIS.match(line)
    if match is None:
        return line
    inner = match.group("inner")
    return inner + line[match.end():]


def split_speaker_line(line: str) -> SpeakerLine | None:
    """Split ``Speaker: text`` (strict label, optional timestamps) or return None.

    Example:
        >>> split_speaker_line("Dana [00:01:02]: hi")
        SpeakerLine(speaker='Dana', start_s=62.0, text='hi')
        >>> split_speaker_line("Maria Lopez  1:05")
        SpeakerLine(speaker='Maria Lopez', start_s=65.0, text='')
        >>> split_speaker_line("[2024-05-01 10:02:03] User: by transfer")
        SpeakerLine(speaker='User', start_s=None, text='by transfer')
        >>> split_speaker_line("See https://example.com: it failed") is None
        True
    """
    head = _strip_emphasis(line[:_PREFIX_WINDOW]) if "*" in line[:3] or "_" in line[:3] else line[:_PREFIX_WINDOW]
    rest_of_line = line[_PREFIX_WINDOW:]
    if ":" not in head and "：" not in head:  # every label form has a colon (after the label or in its time)
        return None
    match = _SPEAKER_PREFIX.match(head)
    if match is not None and is_speaker_label(match.group("label")):
        label = match.group("label") + (match.group("role") or "")
        return SpeakerLine(normalise_space(label), _first_time(match), normalise_space(head[match.end():] + rest_of_line))
    match = _LABEL_THEN_TIME.match(head) if len(line) <= _PREFIX_WINDOW else None
    if match is not None and is_speaker_label(match.group("label")):
        start = parse_timestamp(match.group("time"))
        if start is not None:
            label = match.group("label") + (match.group("role") or "")
            return SpeakerLine(speaker=normalise_space(label), start_s=start, text="")
    return None


def _first_time(match: re.Match[str]) -> float | None:
    for name in ("lead", "mid", "after"):
        if match.group(name):
            if _DATE_RE.search(match.group(name)):
                continue  # a date and a clock time say when, not where in the recording
            start = parse_timestamp(match.group(name))
            if start is not None:
                return start
    return None


def find_label_candidate(line: str) -> LabelCandidate | None:
    """The prefix of ``line`` that may name a speaker, however it is written, with its strength.

    Knows ``Name: text`` (any name, with timestamps before, inside or after), ``[Name] 10:02:03``
    (Zoom) and ``Name  0:03`` (Otter.ai, Teams) label lines. Whether the candidate is taken
    as a speaker is decided for the whole file by :func:`accepted_labels`.

    Example:
        >>> find_label_candidate("[Saulius Grigaitis | Grandine] 10:02:03").line
        SpeakerLine(speaker='Saulius Grigaitis | Grandine', start_s=36123.0, text='')
        >>> find_label_candidate("Daniel Lehrner (Besu) (00:01:02): It forks.").line
        SpeakerLine(speaker='Daniel Lehrner (Besu)', start_s=62.0, text='It forks.')
        >>> find_label_candidate("Note: the app crashed") is None, find_label_candidate("at 10:30 we met") is None
        (True, True)
        >>> find_label_candidate("- Speed: it opens fast") is None
        True
    """
    head = line[:_PREFIX_WINDOW]
    if "*" in head[:3] or "_" in head[:3]:
        head = _strip_emphasis(head)
    if ":" not in head and "：" not in head or _LIST_ITEM.match(head):
        return None  # "- Speed: fast" is an item of a list the speaker wrote, not a label
    if len(line) <= _PREFIX_WINDOW:
        for pattern, marked in ((_BRACKETED_NAME_THEN_TIME, True), (_NAME_THEN_TIME, False)):
            match = pattern.match(head)
            if match is None:
                continue
            label = normalise_space(match.group("label"))
            strength = label_strength(label)
            start = parse_timestamp(match.group("time"))
            if strength is not None and start is not None:
                two_spaces = pattern is _NAME_THEN_TIME and len(match.group("gap")) >= 2
                return LabelCandidate(SpeakerLine(label, start, ""), strength, marked or two_spaces)
    match = _LOOSE_PREFIX.match(head)
    if match is None:
        return None
    label = normalise_space(match.group("label"))
    if len(label) > 2 and label[0] + label[-1] in ("[]", "()", "<>"):  # [SPEAKER_00]: …
        label = label[1:-1].strip()
    strength = label_strength(label)
    if strength is None:
        return None
    text = normalise_space(head[match.end():] + line[_PREFIX_WINDOW:])
    return LabelCandidate(SpeakerLine(label, _first_time(match), text), strength)


def accepted_labels(candidates: Iterable[LabelCandidate], units: int, *, cues: bool = False) -> set[str]:
    """The labels a file's cast takes as speakers, from all its candidates.

    Args:
        candidates: every candidate found at the start of a line (or cue line) of the file.
        units: the lines (or cues) of the file that could carry a label.
        cues: True for subtitle cues, where a prefix marks a speaker more surely.

    Example:
        >>> lines = ["danceratopz: Hi all.", "pk910: Hey.", "so basically: it works", "danceratopz: Great."]
        >>> found = [find_label_candidate(line) for line in lines]
        >>> sorted(accepted_labels([c for c in found if c], units=len(lines)))
        ['danceratopz', 'pk910']
    """
    candidates = list(candidates)
    counts = Counter(c.line.speaker for c in candidates)
    strength: dict[str, int] = defaultdict(int)
    for candidate in candidates:
        rank = _RANK[candidate.strength] + (1 if candidate.marked else 0)
        strength[candidate.line.speaker] = max(strength[candidate.line.speaker], rank)
    dense = len(candidates) >= 3 and len(candidates) >= (0.5 if cues else 0.3) * max(units, 1)
    accepted = set()
    for label, rank in strength.items():
        recurs = counts[label] >= 2
        if (
            rank >= _RANK[STRICT]
            or (rank == _RANK[NAME] and (recurs or dense))
            or (rank == _RANK[WEAK] and dense and (recurs or cues))
        ):
            accepted.add(label)
    return accepted

"""The table of known names: every way a participant, speaker, author or staff member may be written.

Each known name is matched case-insensitively as the full name, the first name alone and
the last name alone (``"Ana de Souza"`` also as ``"de Souza"``), titles and initials left
out, and also spelled without its accents (``"Jurgen Weiss"``, ``"Juergen"`` for
``"Jürgen Weiß"``). A first or last name two people share is replaced by ``[NAME]``, not by
either pseudonym. A surname that is a word (``"Price"``) is only matched with the first name;
a name that is a word (``"Grace"``) is *ambiguous*: the name recogniser takes it only where
it reads as a name.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from workbench.privacy.base import TAGS
from workbench.privacy.name_words import PARTICLES, TITLES

__all__ = ["NameEntry", "known_names", "norm_key", "spelling_variants", "trie_pattern"]

_FOLD = str.maketrans({"ß": "ss", "ẞ": "SS", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae",
                       "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "Th"})
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@dataclass(frozen=True)
class NameEntry:
    """How one spelling of a known name is replaced.

    Attributes:
        replacement: the pseudonym (``"P07"``) or ``[NAME]``.
        ambiguous: the spelling is also a word: it needs a capital and must not read as a verb/noun.

    Example:
        >>> NameEntry("P07", ambiguous=False).replacement
        'P07'
    """

    replacement: str
    ambiguous: bool


def norm_key(name: str) -> str:
    """The lookup key of a name: whitespace collapsed, ’ as ', case-folded.

    Example:
        >>> norm_key("Liam  O’Brien")
        "liam o'brien"
    """
    return " ".join(name.split()).replace("’", "'").casefold()


def spelling_variants(name: str) -> set[str]:
    """Other ways a name is typed without its accents: plain letters, and German ae/oe/ue.

    Example:
        >>> sorted(spelling_variants("Jürgen Weiß"))
        ['Juergen Weiss', 'Jurgen Weiss']
        >>> spelling_variants("Maria Lopez")
        set()
    """
    import unicodedata

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
        return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))

    return {v for v in (plain(name), plain(name.translate(_GERMAN))) if v != name}


def trie_pattern(phrases: list[str]) -> str:
    """One regex matching any of ``phrases`` (lower case), built as a trie so that it is
    fast with hundreds of names; a space matches any whitespace, an apostrophe both ' and ’.

    Example:
        >>> bool(re.fullmatch(trie_pattern(["ana", "ana silva", "o'brien"]), "o’brien"))
        True
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase.replace("’", "'"):
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str) -> str:
        return r"\s+" if ch == " " else "['’]" if ch == "'" else re.escape(ch)

    def build(node: dict) -> str:
        ends_here = "" in node
        alts = [char(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends_here else body

    return "(?:" + build(trie) + ")"


def known_names(
    people: dict[str, str | None],
    extra_names: Iterable[str] = (),
    keep_tokens: Collection[str] = frozenset(),
    common: Collection[str] = frozenset(),
) -> tuple[dict[str, NameEntry], re.Pattern[str] | None]:
    """The spellings of the known names and one regex that finds any of them.

    Args:
        people: real name -> pseudonym, or None for ``[NAME]``.
        extra_names: staff and third-party names, replaced by ``[NAME]``.
        keep_tokens: case-folded words of the keep words: never a name on their own.
        common: case-folded words that are also names (ambiguous when a name is one).

    Returns:
        ``{norm_key(spelling): NameEntry}`` and a case-insensitive regex matching every
        spelling as a whole word (None when there are no names).

    Example:
        >>> entries, regex = known_names({"Ana de Souza": "P01"}, ["Kevin"])
        >>> sorted((key, e.replacement) for key, e in entries.items())
        [('ana', 'P01'), ('ana de souza', 'P01'), ('de souza', 'P01'), ('kevin', '[NAME]'), ('souza', 'P01')]
        >>> regex.search("ask KEVIN").group()
        'KEVIN'
    """
    # variant key -> (replacement, is full name); conflicts of partial names -> [NAME]
    full: dict[str, str] = {}
    partial: dict[str, set[str]] = {}
    spelled: dict[str, str] = {}
    first_names: set[str] = set()

    def add(real: str, replacement: str) -> None:
        tokens = [t for t in real.replace(",", " ").split() if t]
        while tokens and tokens[0].casefold().rstrip(".") in TITLES:
            tokens = tokens[1:]
        tokens = [t for t in tokens if not re.fullmatch(r"[^\W\d_]\.?", t)]  # initials
        if not tokens:
            return
        whole = " ".join(tokens)
        full.setdefault(norm_key(whole), replacement)
        spelled.setdefault(norm_key(whole), whole)
        if len(tokens) == 1:
            return
        variants = [tokens[0]]
        first_names.add(norm_key(tokens[0]))
        rest = tokens[1:]
        if rest and rest[0].casefold() in PARTICLES:
            variants.append(" ".join(rest))
            rest = [t for t in rest if t.casefold() not in PARTICLES]
        if rest:
            variants.append(rest[-1])
        for v in variants:
            key = norm_key(v)
            if len(key) < 2 or key in PARTICLES or key in keep_tokens:
                continue
            partial.setdefault(key, set()).add(replacement)
            spelled.setdefault(key, v)

    for real, pseudonym in people.items():
        if real and real.strip():
            add(real, pseudonym or TAGS["name"])
    for real in extra_names:
        if real and real.strip() and norm_key(real) not in full:
            add(real, TAGS["name"])

    entries: dict[str, NameEntry] = {}
    for key, replacements in partial.items():
        if key in full:
            continue
        replacement = next(iter(replacements)) if len(replacements) == 1 else TAGS["name"]
        if key in common and key not in first_names:
            continue  # a surname that is a word ("Price", "Baker"): only with the first name or a title
        entries[key] = NameEntry(replacement, key in common)
    for key, replacement in full.items():
        single = len(key.split()) == 1  # a full name of two or more words is never ambiguous
        entries[key] = NameEntry(replacement, single and (key in common or key in keep_tokens))

    # transcripts are often typed without the accents of participants.csv ("Jurgen Weiss",
    # "Juergen" for "Jürgen Weiß"): the plain spellings name the same person
    for key, entry in list(entries.items()):
        for variant in spelling_variants(spelled[key]):
            variant_key = norm_key(variant)
            if variant_key in keep_tokens or variant_key in full:
                continue
            existing = entries.get(variant_key)
            if existing is not None:
                if existing.replacement != entry.replacement:  # "Jurgen" may be either person
                    entries[variant_key] = NameEntry(TAGS["name"], existing.ambiguous)
                continue
            word_like = len(variant_key.split()) == 1 and variant_key in common  # "Rosé" -> "Rose"
            entries[variant_key] = NameEntry(entry.replacement, entry.ambiguous or word_like)
            spelled[variant_key] = variant

    names_re = None
    if entries:
        trie = trie_pattern([" ".join(spelled[key].split()).lower() for key in entries])
        names_re = re.compile(r"(?<![\w\[])" + trie + r"(?![\w\]])", re.IGNORECASE)
    return entries, names_re

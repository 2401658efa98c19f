"""Cities, countries, US states and continents: kept by default, ``[PLACE]`` when the study asks.

``study.toml`` ``[privacy] redact_places = true`` turns this recogniser on (a study of a small
town, where "the Harare office" points at one person). Places come from the GeoNames gazetteer
of :mod:`workbench.privacy.lexicon` (every city of 15,000 people or more); a place of several
words ("New York", "Rio de Janeiro") is taken whole. A place that is also a common word
("Reading", "Nice") counts only when capitalised in the middle of a sentence.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span, overlaps

__all__ = ["PlaceRecogniser"]

_PHRASE_RE = re.compile(
    r"[A-ZÀ-Þ][\w'’\-]*(?:[ \t]+(?:(?:de|da|do|del|la|le|les|el|am|an|der|of|upon|on|sur|en|di|al)[ \t]+)?"
    r"[A-ZÀ-Þ][\w'’\-]*){0,3}"
)


class PlaceRecogniser(Recogniser):
    """Finds place names of the gazetteer.

    Example:
        >>> text = "We flew from Harare to Rio de Janeiro via Lagos."
        >>> [text[s:e] for s, e, _ in PlaceRecogniser().find(text, [])]
        ['Harare', 'Rio de Janeiro', 'Lagos']
    """

    kind = "place"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every place name in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> PlaceRecogniser().find("Reading the e-mail took a minute.", [])
            []
        """
        from workbench.privacy.lexicon import load_lexicon

        lexicon = load_lexicon()
        found: list[Candidate] = []
        pos = 0
        while (m := _PHRASE_RE.search(text, pos)) is not None:
            words = list(re.finditer(r"\S+", m.group()))
            hit = None
            for n in range(len(words), 0, -1):
                phrase = m.group()[: words[n - 1].end()].rstrip("'’")
                if phrase.endswith(("'s", "’s")):
                    phrase = phrase[:-2]
                if lexicon.is_place(phrase):
                    hit = (m.start(), m.start() + len(phrase))
                    break
            if hit is None:
                pos = m.start() + max(len(words[0].group()), 1)
                continue
            single = " " not in text[hit[0]:hit[1]]
            initial = hit[0] == 0 or text[:hit[0]].rstrip(" \t\"'“(").endswith((".", "!", "?", "\n", ":")) \
                or not text[:hit[0]].strip()
            if not (single and initial and lexicon.is_word_like(text[hit[0]:hit[1]])) and not overlaps(hit, taken):
                found.append((hit[0], hit[1], TAGS[self.kind]))
            pos = hit[1]
        return found

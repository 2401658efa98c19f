"""Loyalty, membership and account numbers, found by the words before them: they become ``[ACCOUNT]``.

A number counts when a context word stands right before it: "frequent flyer (number)",
"loyalty (number|card|account)", "membership (number)", "member (number|no|ID)",
"account (number|no)", "customer (number|ID)", "Miles number", "rewards number", "policy
number", "passport number", or a programme's name after "my" ("my Northwind number", for a value
with letters: a digits-only one there is a phone number), optionally followed by "is", "was" or ":". The number has at least
five digits, in groups separated by single spaces or dashes, with up to four letters before
("FF 8812 3345", "SKM-00417723"), or it mixes letters and digits ("AB12CD34"). Left alone:
amounts ("account balance 1,234.56"), counts ("loyalty points 12,500"), years ("member since
2019") and short numbers ("account for 3 trips").
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["AccountNumberRecogniser"]

_CUE = (
    r"(?:frequent[ \-]?fl(?:y|i)er|loyalty|membership|member|rewards?|miles\s+(?:number|no\.?|\#|id)|account|acct|a/c|"
    r"customer|client|"
    r"policy|passport|licen[cs]e|subscriber|subscription|contract|patient|student|employee|staff|tax|"
    r"national\s+insurance|social\s+security|insurance|club\s*card|nectar|avios|executive\s+club|"
    r"skymiles|flying\s+blue|miles\s*&\s*more|aadvantage|mileageplus)"
)
_NUMBER_WORD = r"(?:number|numbers|no\.?|nr\.?|num\.?|#|id|code|card|account|reference|ref)"
_LINK = r"(?:is|was|:|=|-|reads|being)"
_TOKEN = (
    r"(?P<number>(?:[A-Z]{1,4}[ \-]?)?\d(?:\d|[ \-](?=\d)){4,24}(?:[ \-]?[A-Z]{1,2}\b)?"
    r"|(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z\d]{6,16})"
)
_ACCOUNT_RE = re.compile(
    rf"(?i:\b{_CUE}\b(?:\s+{_NUMBER_WORD}){{0,2}}(?:\s*{_LINK})?)[ \t]*[:#]?[ \t]*{_TOKEN}(?![\w,.]\w|\w)"
)


#: "my Northwind number is NW 5521 9904": a programme's name (any brand) before "number"; the value
#: must hold letters, so "my Vodafone number is 07700 900123" stays for the phone recogniser
_BRANDED_RE = re.compile(
    rf"(?i:\b(?:my|our|his|her|their|your)\s+)(?:[A-Z][\w&'’\-]*\s+){{1,3}}(?i:{_NUMBER_WORD})(?:\s*(?i:{_LINK}))?"
    r"[ \t]*[:#]?[ \t]*(?P<number>[A-Z]{1,4}[ \-]?\d(?:\d|[ \-](?=\d)){4,24}|(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z\d]{6,16})"
    r"(?![\w,.]\w|\w)"
)


class AccountNumberRecogniser(Recogniser):
    """Finds loyalty, membership and account numbers after their context words.

    Example:
        >>> text = "My frequent flyer number is SK 4827 1934; I have 12,500 loyalty points; my Avianca number is AV 55219904."
        >>> [text[s:e] for s, e, _ in AccountNumberRecogniser().find(text, [])]
        ['SK 4827 1934', 'AV 55219904']
    """

    kind = "account"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every account-like number after a context word in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> AccountNumberRecogniser().find("member since 2019, account balance 1,234.56", [])
            []
        """
        spans = []
        for m in [*_ACCOUNT_RE.finditer(text), *_BRANDED_RE.finditer(text)]:
            number = m.group("number")
            digits = sum(ch.isdecimal() for ch in number)
            if digits < 5 or re.fullmatch(r"(?:19|20)\d\d", number):
                continue
            s, e = m.span("number")
            while e > s and text[e - 1] in " -":
                e -= 1
            spans.append((s, e, TAGS[self.kind]))
        return spans

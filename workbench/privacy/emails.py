"""The e-mail recogniser: addresses become ``[EMAIL]``.

An address is an RFC 5322 dot-atom local part, ``@`` and a domain of letter/digit labels.
``\\w`` is Unicode, so internationalised addresses (``jürgen.weiß@beispiel.de``) are taken whole.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["EmailRecogniser"]

_ATEXT = r"\w!#$%&'*+/=?^`{|}~\-"
_EMAIL_RE = re.compile(
    rf"[{_ATEXT}]+(?:\.[{_ATEXT}]+)*@"
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+"
    r"[^\W\d_](?:[\w-]{0,61}[^\W_])?"
)


class EmailRecogniser(Recogniser):
    """Finds e-mail addresses.

    Example:
        >>> EmailRecogniser().find("write to jürgen.weiß@beispiel.de today", [])
        [(9, 32, '[EMAIL]')]
    """

    kind = "email"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every e-mail address in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> EmailRecogniser().find("no address here", [])
            []
        """
        if "@" not in text:
            return []
        return [(m.start(), m.end(), TAGS[self.kind]) for m in _EMAIL_RE.finditer(text)]

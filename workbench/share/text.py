"""Text for readers: customer text made inert, quotes shortened, numbers and scores in words.

``escape_markdown`` and ``css_string`` make customer text safe where it is printed (Markdown,
a CSS string); ``shorten_quote`` cuts a long quote at a sentence end; ``format_signed`` and the
word helpers say a sentiment or a severity the way the report prints it.

Example:
    >>> shorten_quote("Short and sweet."), format_signed(0.2), _severity_level(72)
    ('Short and sweet.', '+0.20', 'critical')
"""
from __future__ import annotations

import math
import re

from markupsafe import Markup

#: the longest quote shown (in words)
MAX_QUOTE_WORDS = 55

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_MARKDOWN_LINE_START = re.compile(r"^([-+=~])")
_MARKDOWN_ORDERED = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Make customer text inert in Markdown: no HTML, link, code, emphasis, table cell or heading.

    Line breaks become spaces, so one quote stays on one line of a list or table.

    Example:
        >>> escape_markdown("# <script>alert(1)</script> | `rm` [x](y)")
        '\\\\# &lt;script&gt;alert(1)&lt;/script&gt; \\\\| \\\\`rm\\\\` \\\\[x\\\\](y)'
        >>> print(escape_markdown("- not a list"), escape_markdown("1. not a list"), escape_markdown("R&D &lt;"))
        \\- not a list 1\\. not a list R&amp;D &amp;lt;
    """
    text = re.sub(r"\s+", " ", str(text)).strip().replace("&", "&amp;")  # "&lt;" typed stays "&lt;"
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    # a value printed at the start of a line must open no list, rule or setext heading ("- x", "1. x", "===")
    text = _MARKDOWN_LINE_START.sub(r"\\\1", text)
    return _MARKDOWN_ORDERED.sub(r"\1\\\2", text)


def css_string(text: str) -> Markup:
    """Text safe inside a double-quoted CSS string in a ``<style>`` element (page footer).

    Example:
        >>> str(css_string('Study "A" </style> {1}'))
        "Study 'A' /style 1"
    """
    cleaned = re.sub(r"[\\<>{}\n\r\t]", "", str(text)).replace('"', "'")
    return Markup(cleaned[:120])


def shorten_quote(text: str, max_words: int = MAX_QUOTE_WORDS) -> str:
    """A quote cut to about ``max_words`` words, at a sentence end where one is close, marked with "…".

    Example:
        >>> shorten_quote("It crashed. " + "word " * 80, max_words=10)
        'It crashed. word word word word word word word word…'
        >>> shorten_quote("Short and sweet.")
        'Short and sweet.'
    """
    words = str(text).split()
    if len(words) <= max_words:
        return " ".join(words)
    head = " ".join(words[:max_words])
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if cut >= 0.6 * len(head):
        return head[: cut + 1] + " …"
    return head.rstrip(",;:—-") + "…"


def format_signed(value: float | None, digits: int = 2) -> str:
    """A sentiment with its sign and a typographic minus.

    Example:
        >>> format_signed(-0.4567), format_signed(0.2), format_signed(None)
        ('−0.46', '+0.20', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:+.{digits}f}"
    return text.replace("-", "−")


_NUMERIC_TEXT = re.compile(r"^[0-9+\-−–.,% ()]*$")


def _numeric(text: str) -> str:
    """Number text the code formatted itself, marked safe so Markdown does not escape "6.6" or "+0.10".

    Anything that is not digits, signs and punctuation stays a plain (escaped) string.

    Example:
        >>> type(_numeric("+0.10")).__name__, type(_numeric("<b>")).__name__
        ('Markup', 'str')
    """
    return Markup(text) if _NUMERIC_TEXT.match(text) else text


def _sentiment_word(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value <= -0.4:
        return "very negative"
    if value <= -0.1:
        return "negative"
    if value < 0.1:
        return "mixed"
    if value < 0.4:
        return "positive"
    return "very positive"


def _severity_level(severity: float) -> str:
    if severity >= 70:
        return "critical"
    if severity >= 50:
        return "high"
    if severity >= 30:
        return "medium"
    return "low"

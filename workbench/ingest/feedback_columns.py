"""Which column of a feedback export is the free text, and which hold the id, date, channel, rating, author, e-mail and title.

Columns are matched on their names (``review``, ``What happened…? (free text)``,
``Submitted At``, ``booking channel``, ``NPS``, ``customer_email``…) and, for the text,
on their content too (several words per value, not ids, dates, numbers or e-mails). The
study's ``study.toml`` can name any of them instead (``text_column``, column overrides).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from workbench.errors import IngestError, WorkbenchError
from workbench.ingest.feedback_table import cell_text

__all__ = ["METADATA_ROLES", "find_metadata_columns", "find_text_column", "name_tokens"]

#: the metadata roles :func:`find_metadata_columns` knows
METADATA_ROLES = ("item_id", "date", "channel", "rating", "author", "author_email", "title")


_TEXT_HINTS = [
    ("text",), ("review",), ("review", "text"), ("body",), ("comment",), ("comments",), ("feedback",),
    ("message",), ("answer",), ("response",), ("verbatim",), ("description",), ("what", "happened"),
    ("free", "text"), ("content",), ("remarks",), ("complaint",), ("details",), ("transcript",),
    ("notes",), ("post",), ("tweet",), ("why",), ("tell", "us"),
]
_TITLE_HINTS = [("title",), ("subject",), ("headline",), ("summary",), ("topic",)]
_NOT_TEXT_TOKENS = {
    "id", "ids", "date", "time", "timestamp", "rating", "score", "stars", "star", "email", "mail", "e",
    "name", "channel", "source", "author", "created", "updated", "submitted", "count", "nps", "csat",
    "url", "link", "language", "lang", "country", "number", "no", "ref", "reference", "status", "type",
    "category", "tag", "tags", "sentiment", "at", "phone", "code", "likes", "helpful", "version",
}

_RE_NUMBER = re.compile(r"[-+]?\d[\d,. ]*%?|[-+]?\.\d+")
_RE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_RE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-:./#]*")
_RE_DATEISH = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[AP]M)?", re.I
)
_RE_URL = re.compile(r"https?://\S+")


def name_tokens(name: str) -> list[str]:
    """The lower-case words of a column name, camelCase split ("reviewID" → review, id).

    Example:
        >>> name_tokens("Submitted At"), name_tokens("customerEmail"), name_tokens("NPS (0-10)")
        (['submitted', 'at'], ['customer', 'email'], ['nps', '0', '10'])
    """
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    return re.findall(r"[a-z0-9]+", spaced.lower())


def _has_hint(tokens: list[str], hints: list[tuple[str, ...]]) -> bool:
    token_set = set(tokens)
    return any(set(hint) <= token_set for hint in hints)


def _column_profile(values: pd.Series) -> dict[str, float]:
    texts = [t.strip() for t in map(cell_text, values) if t is not None and t.strip()]
    n = len(texts)
    if n == 0:
        return {"n": 0, "mean_len": 0.0, "mean_words": 0.0, "spaces": 0.0, "unique": 0.0, "typed": 1.0}
    sample = texts[:2000]
    m = len(sample)
    typed = sum(
        1
        for t in sample
        if _RE_NUMBER.fullmatch(t) or _RE_EMAIL.fullmatch(t) or _RE_DATEISH.fullmatch(t) or _RE_URL.fullmatch(t)
        or (_RE_ID.fullmatch(t) and len(t) <= 40 and any(c.isdigit() for c in t))
    ) / m
    return {
        "n": float(n),
        "mean_len": sum(len(t) for t in sample) / m,
        "mean_words": sum(len(t.split()) for t in sample) / m,
        "spaces": sum(1 for t in sample if " " in t or "\n" in t) / m,
        "unique": len(set(sample)) / m,
        "typed": typed,
    }


def _text_scores(rows: pd.DataFrame) -> dict[str, tuple[float, dict[str, float], bool]]:
    """Score each column as the free-text column: (score, profile, is_title_like); score < 0 = not text."""
    scores: dict[str, tuple[float, dict[str, float], bool]] = {}
    for column in rows.columns:
        tokens = name_tokens(column)
        profile = _column_profile(rows[column])
        question = "?" in str(column) or len(tokens) >= 5
        hinted = _has_hint(tokens, _TEXT_HINTS)
        title_like = _has_hint(tokens, _TITLE_HINTS) and not question
        negative = bool(set(tokens) & _NOT_TEXT_TOKENS) and not question
        if title_like:
            hinted = False
        if negative and not _has_hint(tokens, [("free", "text"), ("what", "happened")]):
            hinted = False
        if profile["n"] == 0:  # no values (e.g. an empty table): decide on the name alone
            score = 3.0 if hinted else (1.0 if title_like else -1.0)
            scores[column] = (score, profile, title_like)
            continue
        if profile["typed"] >= 0.8:
            scores[column] = (-1.0, profile, title_like)
            continue
        content = min(profile["mean_words"], 40.0) / 40.0 * 3.0 + profile["spaces"] + 0.5 * profile["unique"]
        categorical = profile["n"] >= 10 and profile["unique"] < 0.2 and profile["mean_words"] < 4
        if hinted and not categorical and (profile["spaces"] >= 0.2 or profile["mean_words"] >= 2):
            score = 4.0 + content
        elif profile["mean_words"] >= 3 and profile["spaces"] >= 0.3 and not categorical:
            score = content - (1.0 if negative else 0.0)
        else:
            score = -1.0
        scores[column] = (score, profile, title_like)
    return scores


def _match_column(rows: pd.DataFrame, wanted: str) -> str | None:
    if wanted in rows.columns:
        return wanted
    folded = [c for c in rows.columns if str(c).strip().casefold() == str(wanted).strip().casefold()]
    return folded[0] if len(folded) == 1 else None


def find_text_column(rows: pd.DataFrame, override: str | None = None, path: Path | None = None) -> str:
    """Return the column that holds the free-text feedback.

    With ``override`` that column is used (matched exactly, else case-insensitively);
    a missing one raises :class:`IngestError` listing the columns there are. Otherwise
    columns are scored on their names (``review``, ``comment``, ``What happened…? (free
    text)``…) and their content (several words per value, spaces, not ids, dates,
    numbers or e-mails); a ``title``/``subject`` column loses to a longer body.

    Example:
        >>> rows = pd.DataFrame({"review_id": ["r1", "r2"], "title": ["Crashes", "Fees!"],
        ...                      "review": ["The app logs me out every time I pay", "Resort fee shown only at the desk"]})
        >>> find_text_column(rows)
        'review'
        >>> find_text_column(rows, override="Title")
        'title'
    """
    where = Path(path) if path is not None else Path("feedback table")
    available = ", ".join(f"'{c}'" for c in rows.columns) or "(none)"
    if override is not None:
        column = _match_column(rows, override)
        if column is None:
            raise IngestError(
                where, f"text column '{override}' is not in the file; the columns are {available}; set text_column to one of them"
            )
        return str(column)
    scores = _text_scores(rows)
    candidates = {c: s for c, s in scores.items() if s[0] > 0}
    if not candidates:
        raise IngestError(
            where,
            f"no column looks like free-text feedback (columns: {available}); set text_column for this file to the column to analyse",
        )
    best = max(candidates, key=lambda c: candidates[c][0])
    if candidates[best][2]:  # a title/subject column: prefer a longer body if there is one
        bodies = [c for c, s in candidates.items() if not s[2] and s[1]["mean_len"] > candidates[best][1]["mean_len"]]
        if bodies:
            best = max(bodies, key=lambda c: candidates[c][0])
    return str(best)


_ROLE_HINTS: dict[str, list[tuple[str, ...]]] = {
    # earlier hints win over later ones
    "item_id": [("id",), ("review", "id"), ("ticket", "id"), ("response", "id"), ("item", "id"), ("feedback", "id"),
                ("message", "id"), ("comment", "id"), ("case", "id"), ("record", "id"), ("submission", "id"),
                ("survey", "id"), ("entry", "id"), ("post", "id"), ("uuid",), ("ticket", "number"), ("case", "number")],
    "date": [("date",), ("submitted",), ("submitted", "at"), ("received", "at"), ("received",), ("created",),
             ("created", "at"), ("timestamp",), ("review", "date"), ("response", "date"), ("recorded", "date"),
             ("submission", "date"), ("end", "date"), ("datetime",), ("posted",), ("time",), ("start", "date")],
    "channel": [("channel",), ("booking", "channel"), ("source",), ("store",), ("platform",), ("medium",), ("via",)],
    "rating": [("rating",), ("stars",), ("star", "rating"), ("overall", "rating"), ("nps",), ("recommend",),
               ("csat",), ("score",), ("satisfaction",)],
    "author": [("author",), ("customer", "name"), ("customer",), ("name",), ("reviewer",), ("user",),
               ("user", "name"), ("username",), ("full", "name"), ("display", "name"), ("passenger", "name")],
    "author_email": [("email",), ("customer", "email"), ("e", "mail"), ("email", "address"), ("user", "email"),
                     ("reviewer", "email"), ("mail",)],
    "title": [("title",), ("subject",), ("headline",), ("review", "title")],
}
_ROLE_EXCLUDE: dict[str, set[str]] = {
    "item_id": {"customer", "user", "booking", "order", "author", "agent", "session", "reviewer", "member", "loyalty"},
    "date": {"birth", "travel", "stay", "departure", "arrival", "checkin", "check", "flight", "id", "by", "zone"},
    "channel": {"id", "url", "rating", "score", "stars", "review", "version"},
    "rating": {"id", "comment", "why", "reason", "text", "sentiment", "date", "count"},
    "author": {"id", "email", "mail", "agent", "hotel", "file", "company", "product", "app", "store"},
    "author_email": {"agent", "support", "id"},
    "title": {"job", "id"},
}


#: for these roles a name that is not exactly a hint may only use these words ("customer tier" is no author)
_ROLE_VOCABULARY: dict[str, set[str]] = {
    "author": {"author", "customer", "name", "reviewer", "user", "username", "full", "first", "display", "passenger",
               "guest", "client", "submitted", "by", "nick", "nickname", "screen", "handle", "the", "of"},
}


def _role_rank(role: str, tokens: list[str]) -> tuple[int, int] | None:
    """How well a column name fits a role (lower is better); None when it does not fit.

    The rank is (0 for an exact hint / 1 for a name containing one, hint order), except for
    ratings, where the hint order comes first.
    """
    if not tokens or set(tokens) & _ROLE_EXCLUDE.get(role, set()):
        return None
    if role == "item_id" and tokens[-1] == "id" and len(tokens) > 1 and not _has_hint(tokens, _ROLE_HINTS[role][1:]):
        return None  # e.g. "hotel_id"
    vocabulary = _ROLE_VOCABULARY.get(role)
    if role == "rating" and {"likely", "recommend"} <= set(tokens):
        return (_ROLE_HINTS["rating"].index(("nps",)), 0)  # "How likely are you to recommend us?" is NPS
    best: tuple[int, int] | None = None
    for order, hint in enumerate(_ROLE_HINTS[role]):
        if tuple(tokens) == hint:
            rank = (0, order)
        elif set(hint) <= set(tokens) and len(tokens) <= len(hint) + 3 and (vocabulary is None or set(tokens) <= vocabulary):
            rank = (1, order)
        else:
            continue
        if role == "rating":  # the kind of score matters more than the exact spelling: NPS before CSAT
            rank = (rank[1], rank[0])
        best = rank if best is None or rank < best else best
    return best


def find_metadata_columns(rows: pd.DataFrame, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Map the roles item_id, date, channel, rating, author, author_email and title to columns.

    Columns are matched on their names (``review_id``, ``Submitted At``, ``booking
    channel``, ``NPS``, ``customer_email``…); each column gets at most one role, and
    roles nothing matches are left out. When both an NPS and a CSAT column exist the NPS
    one is the rating. ``overrides`` (role → column) win; an override naming no column
    or an unknown role raises :class:`~workbench.errors.WorkbenchError`.

    Example:
        >>> rows = pd.DataFrame(columns=["Response ID", "Submitted", "NPS", "CSAT", "Customer Name", "email", "comment"])
        >>> find_metadata_columns(rows)
        {'item_id': 'Response ID', 'date': 'Submitted', 'rating': 'NPS', 'author': 'Customer Name', 'author_email': 'email'}
        >>> find_metadata_columns(rows, {"rating": "CSAT"})["rating"]
        'CSAT'
    """
    overrides = dict(overrides or {})
    available = ", ".join(f"'{c}'" for c in rows.columns) or "(none)"
    resolved: dict[str, str] = {}
    for role, wanted in overrides.items():
        if role == "text":
            continue
        if role not in METADATA_ROLES:
            raise WorkbenchError(f"unknown column role '{role}'; use one of: text, {', '.join(METADATA_ROLES)}")
        if wanted is None or wanted == "":
            continue
        column = _match_column(rows, wanted)
        if column is None:
            raise WorkbenchError(f"the {role} column '{wanted}' is not in the file; the columns are {available}")
        resolved[role] = str(column)
    taken = set(resolved.values())
    if overrides.get("text"):
        text_column = _match_column(rows, overrides["text"])
        if text_column is not None:
            taken.add(str(text_column))
    tokens = {c: name_tokens(c) for c in rows.columns}
    for role in METADATA_ROLES:
        if role in resolved or role in overrides:
            continue
        ranked = []
        for position, column in enumerate(rows.columns):
            if column in taken or "?" in str(column) and role != "rating":
                continue
            rank = _role_rank(role, tokens[column])
            if rank is not None:
                ranked.append((rank, position, column))
        if ranked:
            column = min(ranked)[2]
            resolved[role] = str(column)
            taken.add(str(column))
    return {role: resolved[role] for role in METADATA_ROLES if role in resolved}

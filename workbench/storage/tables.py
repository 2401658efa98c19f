"""The store's tables: one SQLAlchemy ``Table`` per kind of row, all on one ``metadata``.

Rows are only ever appended (an edit is undone by a newer edit, a withdrawn vote is marked, never
deleted); only a workshop session's own row (lock, round, dots, revision) is updated in place.
Changing a table needs a new schema version and a step in :mod:`workbench.storage.migrations`.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from workbench.storage.workshop_rules import DEFAULT_DOTS_PER_PERSON, MAX_REQUEST_ID_LENGTH

metadata = MetaData()

# --- curation: researchers' edits of pain points (renames, merges, splits, moved quotes)

painpoint_edits = Table(
    "painpoint_edits",
    metadata,
    Column("edit_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("author", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# --- workshop: sessions, people, dot votes, "How might we…" statements, impact × effort placements

workshop_sessions = Table(
    "workshop_sessions",
    metadata,
    Column("session_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("locked", Boolean, nullable=False, default=False),
    Column("round", Integer, nullable=False, default=1),
    Column("dots_per_person", Integer, nullable=False, default=DEFAULT_DOTS_PER_PERSON),
    Column("revision", Integer, nullable=False, default=0),  # bumped by every write: kernels poll it
    Column("created_at", DateTime(timezone=True), nullable=False),
    # facilitation (schema version 3); nullable so that an upgrade can add them to existing rows (NULL = off)
    Column("votes_hidden", Boolean, nullable=True, default=False),  # participants see only their own dots
    Column("notes_private", Boolean, nullable=True, default=False),  # participants see only their own statements
    Column("round_ends_at", DateTime(timezone=True), nullable=True),  # the round timer's end (UTC), NULL: none
    Column("close_at_time_up", Boolean, nullable=True, default=False),  # votes are refused once the timer ran out
    Column("facilitator_token_hash", String(64), nullable=True),  # sha256 of the facilitator link's token
)

workshop_people = Table(
    "workshop_people",
    metadata,
    Column("person_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),  # as first typed
    Column("name_key", String(200), nullable=False),  # casefolded, spaces collapsed: "Dana" == " dana "
    Column("joined_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("session_id", "name_key", name="uq_workshop_people_name"),
)

workshop_votes = Table(
    "workshop_votes",
    metadata,
    Column("vote_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("round", Integer, nullable=False),
    Column("painpoint_id", String(64), nullable=False),
    Column("person_id", Integer, ForeignKey("workshop_people.person_id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
    # the client's ids of the requests that placed / took back this dot (schema version 2): a request
    # retried after a lost reply finds its vote here instead of spending a second dot
    Column("request_id", String(MAX_REQUEST_ID_LENGTH), nullable=True),
    Column("withdraw_request_id", String(MAX_REQUEST_ID_LENGTH), nullable=True),
    Index("uq_workshop_votes_request", "session_id", "request_id", unique=True),
    Index("uq_workshop_votes_withdraw_request", "session_id", "withdraw_request_id", unique=True),
)

workshop_statements = Table(
    "workshop_statements",
    metadata,
    Column("statement_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("painpoint_id", String(64), nullable=False),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(MAX_REQUEST_ID_LENGTH), nullable=True),  # schema version 2, as on votes
    Column("quote_ids", Text, nullable=True),  # schema version 3: JSON list of the passage ids the statement cites
    Column("round", Integer, nullable=True),  # schema version 3: the voting round it was written in
    Index("uq_workshop_statements_request", "session_id", "request_id", unique=True),
)

workshop_placements = Table(
    "workshop_placements",
    metadata,
    Column("placement_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("painpoint_id", String(64), nullable=False),
    Column("person_id", Integer, ForeignKey("workshop_people.person_id"), nullable=True),  # NULL: the consensus
    Column("impact", Float, nullable=False),
    Column("effort", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# --- workshop stars: a person marks a quote on a card as the one that proves the pain point (version 4)

workshop_stars = Table(
    "workshop_stars",
    metadata,
    Column("star_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("person_id", Integer, ForeignKey("workshop_people.person_id"), nullable=False),
    Column("quote_id", String(200), nullable=False),  # the quote's passage id
    Column("painpoint_id", String(100), nullable=False),  # the card it was starred on
    Column("starred", Boolean, nullable=False),  # False: the star taken back (the latest row per person and quote counts)
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# --- qualitative coding: codes, code assignments (one coder's decision on one passage or span), memos

codes_table = Table(
    "codes",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("code_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),  # JSON: name, description, parent, colour, examples…
    Column("removed", Boolean, nullable=False, default=False),
    Column("author", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

code_assignments_table = Table(
    "code_assignments",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("coder", String(200), nullable=False),
    Column("passage_id", String(200), nullable=False),
    Column("segment_id", String(200), nullable=True),
    Column("code_id", String(200), nullable=False),
    Column("char_start", Integer, nullable=True),  # offsets into the passage text; NULL = whole passage
    Column("char_end", Integer, nullable=True),
    Column("action", String(10), nullable=False),  # apply / remove / reject
    Column("origin", String(200), nullable=True),  # e.g. "suggestion:PP06"
    Column("created_at", DateTime(timezone=True), nullable=False),
)

memos_table = Table(
    "memos",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("coder", String(200), nullable=False),
    Column("target_kind", String(20), nullable=False),  # passage / code / study
    Column("target_id", String(200), nullable=False),
    Column("text", Text, nullable=False),  # "" clears the memo
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# --- schema versions: one row per version the store reached (see workbench.storage.migrations)

schema_versions = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("description", String(200), nullable=False),
)

"""Pain-point names are phrases customers said, shared by the pain point and rare elsewhere."""
from __future__ import annotations

from workbench.analysis.labels import candidate_phrases, phrase_document_counts, phrase_label

HOLD = [
    "I waited 90 minutes on hold and then the line went dead.",
    "Another 40 minutes on hold, the music drove me mad.",
    "They kept me on hold for an hour, then the call dropped.",
    "Phone menu, on hold again, nobody answered.",
]
REFUND = [
    "Still no refund after nine weeks.",
    "No refund, just a voucher I never asked for.",
    "The refund took months and no refund email ever came.",
]
OTHER = ["The hotel room was lovely and clean.", "Great app, easy to use.", "Check-in was quick."] * 4


def test_the_shared_phrase_names_the_pain_point() -> None:
    corpus = HOLD + REFUND + OTHER
    counts = phrase_document_counts(corpus)
    assert phrase_label(HOLD, counts, len(corpus)).lower().startswith(("minutes on hold", "on hold"))
    assert phrase_label(REFUND, counts, len(corpus)).lower().startswith("no refund")


def test_negations_are_kept_and_stop_words_never_end_a_phrase() -> None:
    phrases = candidate_phrases("There was no refund for the flight to")
    assert "no refund" in phrases
    assert not any(p.split()[-1] in {"the", "to", "for"} for p in phrases)


def test_redaction_tags_never_become_names() -> None:
    texts = ["My ref [BOOKING_REF] failed", "Ref [BOOKING_REF] was rejected", "[NAME] from [NAME] called"] * 3
    counts = phrase_document_counts(texts)
    label = phrase_label(texts, counts, len(texts)) or ""
    assert "booking" not in label.lower() and "name" not in label.lower()


def test_one_customers_phrase_does_not_name_a_group_and_names_are_not_reused() -> None:
    texts = ["Completely unique words here", "Nothing shared at all", "Different again entirely"]
    assert phrase_label(texts, phrase_document_counts(texts), len(texts)) is None
    corpus = HOLD + OTHER
    counts = phrase_document_counts(corpus)
    first = phrase_label(HOLD, counts, len(corpus))
    second = phrase_label(HOLD, counts, len(corpus), taken=[first])
    assert second is None or second.lower() != first.lower()


def test_same_texts_give_the_same_name() -> None:
    corpus = HOLD + REFUND + OTHER
    counts = phrase_document_counts(corpus)
    assert phrase_label(REFUND, counts, len(corpus)) == phrase_label(list(REFUND), counts, len(corpus))

"""Sentiment and moments on hand-written customer-service sentences."""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.analysis.sentiment import MOMENTS, classify_moments, mark_phrases, score_sentiment

ROOT = Path(__file__).resolve().parents[1]

#: (sentence, moment) written by hand, in the voices of interviews, reviews and support e-mails
LABELLED: list[tuple[str, str]] = [
    # pain
    ("They took my money and I never got a confirmation", "pain"),
    ("The hold music played for 55 minutes", "pain"),
    ("My card was charged twice for the same hotel and nobody can tell me why.", "pain"),
    ("Three weeks later I'm still waiting for the e-ticket.", "pain"),
    ("The automated menu sent me round in circles and then the line went dead.", "pain"),
    ("I was on hold for over an hour before I gave up.", "pain"),
    ("They cancelled our flight and offered a voucher instead of a refund.", "pain"),
    ("It took four months to get my money back.", "pain"),
    ("The price jumped by forty pounds at the final step because of a hidden fee.", "pain"),
    ("Resort fees were added at the desk that were never mentioned online.", "pain"),
    ("The app logged me out halfway through paying.", "pain"),
    ("Every time I open the boarding pass the app crashes.", "pain"),
    ("The verification code never arrived so I couldn't log in.", "pain"),
    ("My Skylark Miles from the Rome trip were never credited.", "pain"),
    ("My Gold status disappeared overnight and nobody could explain it.", "pain"),
    ("Changing the date online was impossible, I had to call and pay a change fee.", "pain"),
    ("At the front desk they couldn't find my reservation at all.", "pain"),
    ("We booked a sea view room and got a tiny room facing the car park.", "pain"),
    ("The chat said one thing, the phone agent another, and the email a third.", "pain"),
    ("Nobody told us the gate had changed; we found out from the board.", "pain"),
    ("The delay notification came after we had already boarded, which is useless.", "pain"),
    ("Honestly it's a rip off.", "pain"),
    # delight
    ("The desk agent upgraded us for free, the kids were over the moon", "delight"),
    ("Mobile check-in was seamless, took me thirty seconds.", "delight"),
    ("The woman at the airport desk went out of her way to rebook us, a total lifesaver.", "delight"),
    ("Honestly the hotel staff were lovely and the room was spotless.", "delight"),
    ("The app is really smooth now, I love the new trip timeline.", "delight"),
    ("Getting the refund was painless, it was back on my card in two days.", "delight"),
    ("The agent sorted everything out in minutes, brilliant service.", "delight"),
    ("Such a great surprise to find a welcome note and champagne in the room.", "delight"),
    # purchase
    ("I booked the bundle because the price alert said it dropped 20%", "purchase"),
    ("We chose Skylark because the flight and hotel package was cheaper than booking separately.", "purchase"),
    ("I signed up for Skylark Miles when they had a double points offer.", "purchase"),
    ("I compared prices on three sites and went with Skylark for the free cancellation.", "purchase"),
    ("We redeemed our miles for the hotel nights in Porto.", "purchase"),
    ("I booked it on my phone on the train home.", "purchase"),
    # neutral
    ("We flew to Lisbon in May with the two kids.", "neutral"),
    ("I usually travel for work about once a month.", "neutral"),
    ("I use the website at work and the app at home.", "neutral"),
    ("The hotel was about twenty minutes from the airport.", "neutral"),
    ("ok", "neutral"),
    ("👍", "neutral"),
]


def test_required_examples() -> None:
    texts = [
        "They took my money and I never got a confirmation",
        "The desk agent upgraded us for free, the kids were over the moon",
        "I booked the bundle because the price alert said it dropped 20%",
        "The hold music played for 55 minutes",
    ]
    scores = score_sentiment(texts)
    assert scores[0] < -0.25
    assert scores[1] > 0.45
    assert classify_moments(texts, scores) == ["pain", "delight", "purchase", "pain"]


def test_scores_are_compound_in_range_and_nan_safe() -> None:
    scores = score_sentiment(["", None, "   ", "great", "terrible", "👍"])  # type: ignore[list-item]
    assert scores.shape == (6,) and scores.dtype == np.float64
    assert ((scores >= -1) & (scores <= 1)).all()
    assert scores[0] == scores[1] == scores[2] == 0.0
    assert scores[3] > 0 > scores[4]


def test_domain_lexicon_moves_scores_vader_misses() -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    plain = SentimentIntensityAnalyzer()
    for text, sign in [
        ("There was a hidden fee at checkout.", -1),
        ("I was charged twice.", -1),
        ("Still waiting on my refund.", -1),
        ("The e-ticket never arrived.", -1),
        ("They offered a voucher instead.", -1),
        ("Check-in was seamless.", 1),
        ("We got upgraded.", 1),
    ]:
        before = plain.polarity_scores(text)["compound"]
        after = float(score_sentiment([text])[0])
        assert sign * after > sign * before, text
        assert sign * after >= 0.25, (text, after)


def test_negated_phrases_flip() -> None:
    fees, no_fees = score_sentiment(["There were hidden fees.", "There were no hidden fees."])
    assert fees < -0.25 < 0 < no_fees
    # and a negated pain phrase is not a strong pain cue
    assert classify_moments(["There were no hidden fees."], [no_fees]) != ["pain"]


def test_phrase_markers_replace_whole_phrases() -> None:
    marked = mark_phrases("I was ON HOLD for ages and got charged twice.")
    assert "hold" not in marked.lower() and "twice" not in marked
    assert marked.count("cxphrase") == 2


def test_payment_problems_are_pain_not_purchase() -> None:
    texts = ["I paid for the flight and never got a confirmation email.",
             "I booked a room and was charged twice for it.",
             "I booked on the app but it crashed at the payment screen."]
    assert classify_moments(texts, score_sentiment(texts)) == ["pain", "pain", "pain"]


def test_moment_accuracy_on_labelled_sentences() -> None:
    texts = [t for t, _ in LABELLED]
    expected = [m for _, m in LABELLED]
    got = classify_moments(texts, score_sentiment(texts))
    assert set(got) <= set(MOMENTS)
    wrong = [(t, e, g) for t, e, g in zip(texts, expected, got) if e != g]
    accuracy = 1 - len(wrong) / len(texts)
    print(f"\nmoment accuracy on {len(texts)} labelled sentences: {accuracy:.2f}")
    for item in wrong:
        print("  wrong:", item)
    assert accuracy >= 0.75


def test_lengths_must_match() -> None:
    with pytest.raises(WorkbenchError, match="2 texts but 1 scores"):
        classify_moments(["a", "b"], [0.0])


def test_print_how_moments_line_up_with_the_answer_key() -> None:
    """Not an assertion: a record of moments of the sample study's segments against its answer key."""
    key_path = ROOT / "interview_data" / "answer_key.csv"
    if not key_path.exists() or not (ROOT / "interview_data" / "feedback").exists():
        pytest.skip("interview_data/answer_key.csv or feedback/ not written yet")
    from workbench.ingest.study import read_study

    segments = read_study(ROOT / "interview_data").segments
    text_of: dict[tuple[str, str], str] = {}
    for row in segments.itertuples():
        key = str(row.turn) if row.source_kind == "interview" else str(row.item_id)
        text_of[(str(row.source_id), key)] = "" if pd.isna(row.text_redacted) else str(row.text_redacted)
    pairs: list[tuple[str, str]] = []
    with key_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = text_of.get((row["source_id"], row["key"]))
            if text is not None and row["theme"] != "interviewer":
                pairs.append((text, row["theme"]))
    if not pairs:
        pytest.skip("no answer-key row could be matched to a segment")
    moments = classify_moments([t for t, _ in pairs], score_sentiment([t for t, _ in pairs]))
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, theme), moment in zip(pairs, moments):
        group = theme if theme in ("delight", "purchase", "other") else "pain themes"
        table[group][moment] += 1
    print(f"\nmoments of {len(pairs)} answer-key segments (rows: key theme, columns: moment)")
    for group in ("pain themes", "delight", "purchase", "other"):
        counts = table.get(group, Counter())
        total = sum(counts.values()) or 1
        print(f"  {group:12s} n={sum(counts.values()):3d} " + " ".join(
            f"{m}={counts[m]} ({counts[m] / total:.0%})" for m in MOMENTS))


# ---------------------------------------------------------------------- cache


def test_scores_and_moments_are_cached_per_text_and_scorer_version(tmp_path) -> None:
    from workbench.analysis.embedding_cache import EmbeddingCache
    from workbench.analysis.sentiment import score_and_classify, scorer_id

    texts = [sentence for sentence, _ in LABELLED[:12]] + [LABELLED[0][0], "", None]
    expected_scores = score_sentiment(texts)
    expected_moments = classify_moments(texts, expected_scores)
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        scores, moments = score_and_classify(texts, cache)
        assert np.array_equal(scores, expected_scores) and moments == expected_moments
        assert len(cache.get_scores(scorer_id(), [t for t in texts if t is not None])) == len(texts) - 1
        # the second call reads the cache: a planted entry comes back instead of a fresh score
        cache.put_scores(scorer_id(), [texts[0]], [0.123], ["delight"])
        scores_again, moments_again = score_and_classify(texts, cache)
        assert scores_again[0] == 0.123 and moments_again[0] == "delight"
        assert scores_again[12] == 0.123  # the duplicate of the first text too
        assert np.array_equal(scores_again[1:12], expected_scores[1:12]) and moments_again[1:12] == expected_moments[1:12]
        # another scorer version never reads these scores
        assert cache.get_scores(scorer_id() + "-changed", [texts[0]]) == {}
    no_cache = score_and_classify(texts)
    assert np.array_equal(no_cache[0], expected_scores) and no_cache[1] == expected_moments

"""Passages: customer turns and feedback items cut into bounded units, traceable to their text."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.analysis.passages import PASSAGE_COLUMNS, split_into_passages, split_sentences, split_text
from workbench.schema import coerce_segments

REFUND_STORY = (
    "So the first thing was the refund for our cancelled flight to Lisbon. "
    "Skylark cancelled the flight about two weeks before we were due to travel, which happens, fine. "
    "I asked for my money back the same day through the website form. "
    "The form said a refund would be processed within seven working days. "
    "Seven days went by and nothing came back to my card. "
    "I chased them by email and they replied offering a voucher instead of the cash refund. "
    "I did not want a voucher because we had no plans to fly with them again that year. "
    "It took nine weeks in total before the refund finally landed on my card statement. "
    "Nine weeks for money they should never have kept in the first place, honestly. "
    "By then I had spent hours writing emails and filling in the same refund form twice. "
)
APP_STORY = (
    "The other big problem is the mobile app itself on my phone. "
    "Every time I try to log in it asks for a verification code by text message. "
    "Half the time the code never arrives, or it arrives after it has already expired. "
    "When I do get in, the app crashes as soon as I open the boarding pass screen. "
    "Last month it logged me out in the middle of paying for a hotel room in Porto. "
    "I had to start the whole search again from the beginning on my laptop instead. "
    "I reinstalled the app twice and cleared the cache like the help page suggests. "
    "Nothing fixed it, and the crashing still happens with the newest version installed. "
    "At the gate I ended up showing a screenshot because the app would not open at all. "
    "For a travel company in this day and age, an app that crashes at the gate is embarrassing."
)


def _segments(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if "text_redacted" not in frame.columns:
        frame["text_redacted"] = frame["text"]
    return coerce_segments(frame)


def _interview() -> pd.DataFrame:
    rows = [
        {"segment_id": "s-1", "role": "interviewer", "source_kind": "interview", "source_id": "t/a.txt",
         "text": "Tell me about your last trip."},
        {"segment_id": "s-2", "role": "customer", "source_kind": "interview", "source_id": "t/a.txt",
         "participant_id": "P01", "text": REFUND_STORY + APP_STORY},
        {"segment_id": "s-3", "role": "interviewer", "source_kind": "interview", "source_id": "t/a.txt",
         "text": "That sounds frustrating. What happened next?"},
        {"segment_id": "s-4", "role": "customer", "source_kind": "interview", "source_id": "t/a.txt",
         "participant_id": "P01", "text": "ok"},
        {"segment_id": "s-5", "role": "agent", "source_kind": "interview", "source_id": "t/a.txt",
         "text": "Thank you for calling Skylark, how can I help?"},
        {"segment_id": "s-6", "role": "customer", "source_kind": "interview", "source_id": "t/a.txt",
         "participant_id": "P01", "text": "Dr. Patel at the desk, i.e. the manager, fixed it for £12.50 in the end."},
    ]
    return _segments(rows)


def test_offsets_slice_back_to_the_passage_text() -> None:
    segments = _interview()
    passages = split_into_passages(segments)
    text_of = dict(zip(segments["segment_id"], segments["text_redacted"]))
    for row in passages.itertuples():
        assert text_of[row.segment_id][row.char_start : row.char_end].strip() == row.text
        assert row.text == row.text.strip()


def test_interviewer_and_agent_turns_give_no_passages() -> None:
    passages = split_into_passages(_interview())
    assert set(passages["segment_id"]) == {"s-2", "s-4", "s-6"}
    assert not passages["text"].str.contains("Tell me about|Thank you for calling").any()


def test_every_customer_segment_and_feedback_item_appears_in_order() -> None:
    rows = [
        {"segment_id": f"f-{i}", "role": pd.NA, "source_kind": "feedback", "source_id": "feedback/r.csv",
         "text": text, "channel": "App Store", "rating": float(i % 5 + 1)}
        for i, text in enumerate(["Great app", "👍", "", "The app crashed twice. I gave up.", "ok"])
    ]
    segments = pd.concat([_interview(), _segments(rows)], ignore_index=True)
    passages = split_into_passages(segments)
    expected = [s for s, r, k in zip(segments["segment_id"], segments["role"], segments["source_kind"])
                if k == "feedback" or (not pd.isna(r) and r == "customer")]
    assert list(dict.fromkeys(passages["segment_id"])) == expected
    # the emoji-only and the empty item are kept, never dropped
    assert passages.loc[passages["segment_id"] == "f-1", "text"].tolist() == ["👍"]
    assert passages.loc[passages["segment_id"] == "f-2", "text"].tolist() == [""]
    # metadata is carried
    first = passages[passages["segment_id"] == "f-0"].iloc[0]
    assert first["channel"] == "App Store" and first["rating"] == 1.0 and first["source_kind"] == "feedback"
    assert list(passages.columns) == list(PASSAGE_COLUMNS)
    # ids and indices run from 1 within each segment
    for segment_id, group in passages.groupby("segment_id", sort=False):
        assert group["passage_index"].tolist() == list(range(1, len(group) + 1))
        assert group["passage_id"].tolist() == [f"{segment_id}-{k}" for k in range(1, len(group) + 1)]


def test_short_segment_is_exactly_one_passage() -> None:
    passages = split_into_passages(_interview())
    short = passages[passages["segment_id"] == "s-6"]
    assert len(short) == 1
    assert short.iloc[0]["text"].startswith("Dr. Patel") and short.iloc[0]["text"].endswith("in the end.")
    assert passages.loc[passages["segment_id"] == "s-4", "text"].tolist() == ["ok"]


def test_a_300_word_answer_about_two_topics_splits_between_them() -> None:
    text = REFUND_STORY + APP_STORY
    assert 280 <= len(text.split()) <= 340
    passages = split_into_passages(_interview(), max_words=80)
    long = passages[passages["segment_id"] == "s-2"]
    assert len(long) >= 4
    assert (long["text"].str.split().str.len() <= 80).all()
    assert (long["text"].str.split().str.len() >= 4).all()
    # no passage mixes the refund story with the app story; the app story starts a passage
    boundary = text.index("The other big problem")
    assert boundary in long["char_start"].tolist()
    # passages tile the turn: consecutive, in order, nothing lost
    assert " ".join(long["text"]) == text.strip()


def test_topic_split_without_an_explicit_marker() -> None:
    """Lexical change alone (no 'another thing') is enough to put the cut between the topics."""
    text = REFUND_STORY + APP_STORY.replace("The other big problem is", "My big problem is")
    spans = split_text(text, max_words=80)
    assert text.index("My big problem") in [a for a, _ in spans]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Lee and Mrs. Alvarez helped. Then we left.", ["Mr. Lee and Mrs. Alvarez helped.", "Then we left."]),
        ("It cost £12.50 plus a 3.5% fee. Madness!", ["It cost £12.50 plus a 3.5% fee.", "Madness!"]),
        ("Fees e.g. for bags were hidden, i.e. not shown. I paid.", ["Fees e.g. for bags were hidden, i.e. not shown.", "I paid."]),
        ("Why did it crash?! No idea... Then it worked.", ["Why did it crash?!", "No idea...", "Then it worked."]),
        ('She said "it is booked." It was not.', ['She said "it is booked."', "It was not."]),
        ('"Is it booked?" she asked. No.', ['"Is it booked?" she asked.', "No."]),
        ("I waited 40 mins. Then they hung up.", ["I waited 40 mins.", "Then they hung up."]),
        ("Bags, seats etc. were extra. Ugh.", ["Bags, seats etc. were extra.", "Ugh."]),
        ("Flight SKY-4QZ81M at 6 a.m. was late", ["Flight SKY-4QZ81M at 6 a.m. was late"]),
        ("first line\nSecond line\n\nthird para", ["first line", "Second line", "third para"]),
        ("all lower case. no capitals here. at all", ["all lower case.", "no capitals here.", "at all"]),
    ],
)
def test_sentence_splitter_copes_with_abbreviations_decimals_and_quotes(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_abbreviations_are_not_cut_in_long_turns() -> None:
    text = ("Dr. Patel, e.g. the duty manager, said approx. £12.50 was owed. " * 12).strip()
    spans = split_text(text, max_words=40)
    for a, b in spans:
        passage = text[a:b]
        assert passage.startswith("Dr. Patel") and passage.endswith("was owed.")


def test_a_run_on_sentence_is_cut_at_commas_then_hard_split() -> None:
    clauses = ", ".join(f"then clause number {i} went wrong again" for i in range(30))
    spans = split_text(clauses, max_words=50)
    assert len(spans) >= 4
    for a, b in spans:
        assert len(clauses[a:b].split()) <= 50
        assert clauses[a:b].endswith((",", "again"))  # cut after a comma, never mid-clause
    no_punctuation = " ".join(["word"] * 250)
    spans = split_text(no_punctuation, max_words=80)
    assert len(spans) == 4 and all(len(no_punctuation[a:b].split()) <= 80 for a, b in spans)
    assert sum(len(no_punctuation[a:b].split()) for a, b in spans) == 250


def test_short_sentences_are_glued_to_a_neighbour() -> None:
    text = " ".join(["Yes.", "No.", "The refund took nine weeks to arrive on my card."] * 12)
    spans = split_text(text, max_words=30, min_words=4)
    assert all(len(text[a:b].split()) >= 4 for a, b in spans)
    assert all(len(text[a:b].split()) <= 30 for a, b in spans)


def test_bad_inputs_name_the_problem() -> None:
    with pytest.raises(WorkbenchError, match="text_redacted"):
        split_into_passages(pd.DataFrame({"segment_id": ["s"], "role": ["customer"]}))
    with pytest.raises(WorkbenchError, match="max_words"):
        split_text("hello there", max_words=0)


def test_empty_table_gives_empty_passages_with_all_columns() -> None:
    passages = split_into_passages(coerce_segments(pd.DataFrame({"text": pd.Series([], dtype="string")})))
    assert passages.empty and list(passages.columns) == list(PASSAGE_COLUMNS)

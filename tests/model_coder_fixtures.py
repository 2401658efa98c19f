"""A small human-coded study for the model-as-coder tests, where the right answer is known.

Forty-eight customer turns in the voice of the sample study (Skylark Travel), eleven on each of
four themes with their own words (slow refunds, the app logging people out, hidden fees, waiting
on hold) and four of small talk. The human coder ``dana`` codes every turn with its theme, with
two deliberate human touches a one-code-per-passage model cannot match:

- ``BOTH_CODES``: a refund story that also complains about a fee; dana gives it both codes.
- ``SMALL_TALK``: turns about nothing in particular; dana looks at them and applies no code.

So the model, if it finds the four themes, agrees with dana on each theme's code almost
everywhere, and the passages it must get "wrong" are known in advance.
"""
from __future__ import annotations

import pandas as pd

from workbench.coding.codebook import Code, Codebook
from workbench.coding.starter import starter_codebook

HUMAN = "dana"

THEMES = {
    "refunds": [
        "My flight was cancelled and the refund took seven weeks to arrive.",
        "I am still waiting for my refund, it has been two months since the cancellation.",
        "They promised the money back within days but the refund took over a month.",
        "The refund for the cancelled flight never came until I complained three times.",
        "Getting a refund after the cancellation was slow, weeks of waiting for my money.",
        "I asked for a refund in March and the money was back in my account in May.",
        "The cancelled flight refund was stuck for weeks, nobody could say where my money was.",
        "Six weeks for a refund of a cancelled trip is far too long.",
        "My refund request sat there for weeks after they cancelled the flight.",
        "The refund arrived eventually but only after weeks of chasing them.",
        "Waiting weeks for a refund of a flight they cancelled themselves felt unfair.",
    ],
    "app-login": [
        "The app logged me out twice at the gate and I could not show my boarding pass.",
        "Every time I open the app it asks me to log in again and then crashes.",
        "The app crashed when I tried to log in with my password.",
        "I could not log in to the app, the login code never arrived.",
        "The mobile app keeps logging me out and forgets my password.",
        "Logging in to the app failed three times before it finally crashed.",
        "The app freezes on the login screen and then closes.",
        "At the airport the app logged me out and the login kept failing.",
        "The app crashes on login every morning since the last update.",
        "I gave up on the app because the login never works and it crashes.",
        "The app logs me out whenever I switch to another app on my phone.",
    ],
    "fees": [
        "There was a hidden fee at checkout that was not in the price I first saw.",
        "The price jumped at checkout because of a service fee nobody mentioned.",
        "They charged me a change fee of eighty euros for moving my flight by one day.",
        "Hidden fees for seats and bags made the cheap fare expensive at checkout.",
        "I was charged a booking fee at the very last step of checkout.",
        "The final price at checkout had extra fees that were never shown before.",
        "A card fee appeared at checkout and the total price went up again.",
        "The fare looked cheap but the fees for luggage doubled the price.",
        "I paid a fee to change the name on the ticket, the price was outrageous.",
        "Surprise fees at checkout, the price on the first page meant nothing.",
        "They added an admin fee at checkout that made the price much higher.",
    ],
    "phone-hold": [
        "I was on hold on the phone for fifty minutes listening to the same music.",
        "The call centre kept me on hold for an hour before the line dropped.",
        "Calling the hotline means waiting on hold for ages with that music.",
        "I called three times and each time I was on hold for forty minutes.",
        "The phone menu sent me in circles and then put me on hold again.",
        "On the phone with the call centre I waited on hold for over an hour.",
        "Their hotline had me on hold so long my phone battery died.",
        "I spent my lunch break on hold on the phone and nobody answered.",
        "The call centre put me on hold, transferred me and put me on hold again.",
        "Every call to the hotline is thirty minutes on hold before a person answers.",
        "Being on hold on the phone for an hour just to change a seat is absurd.",
    ],
}

#: a refund story with a fee in it: dana codes both, a one-code-per-passage model cannot
BOTH_CODES = "The refund for my cancelled flight finally came, minus a processing fee they kept."
SMALL_TALK = [
    "I usually travel twice a year with my family in the summer holidays.",
    "We went to Lisbon last spring and really enjoyed the city.",
    "I work as a teacher so I can only travel in the school holidays.",
    "My sister recommended Skylark to me a few years ago.",
]
CODE_NAMES = {"refunds": "Slow refunds", "app-login": "App logs me out", "fees": "Hidden fees", "phone-hold": "On hold"}


def _turns() -> list[tuple[str, str, list[str]]]:
    """(passage text, theme for the record, dana's codes) for every customer turn, in interview order."""
    turns = []
    themes = list(THEMES)
    for index in range(11):  # interleave the themes across interviews, as real interviews do
        for theme in themes:
            text = THEMES[theme][index]
            if index == 10 and theme == "refunds":
                text = BOTH_CODES  # replaces the eleventh refund story
            turns.append((text, theme, ["refunds", "fees"] if text == BOTH_CODES else [theme]))
    turns += [(text, "small talk", []) for text in SMALL_TALK]
    return turns


def segments_frame() -> pd.DataFrame:
    """The segments table: eight interviews, customer turns only (the analysis reads ``text_redacted``)."""
    from workbench.schema import coerce_segments

    rows = []
    for number, (text, _theme, _codes) in enumerate(_turns()):
        participant = f"P{number % 8 + 1:02d}"
        rows.append({
            "segment_id": f"m-{number:02d}", "source_id": f"transcripts/interview_{number % 8 + 1:02d}.txt",
            "source_kind": "interview", "participant_id": participant, "speaker": participant, "role": "customer",
            "turn": 2 * (number // 8) + 2, "text": text, "text_redacted": text, "channel": None,
        })
    return coerce_segments(pd.DataFrame(rows))


def human_codings(coder: str = HUMAN) -> pd.DataFrame:
    """dana's assignments over every passage (one passage per turn: ``<segment_id>-1``); [] = seen, no code."""
    rows = []
    for number, (_text, _theme, codes) in enumerate(_turns()):
        passage = f"m-{number:02d}-1"
        rows += [{"coder": coder, "passage_id": passage, "code_id": c} for c in codes] or [
            {"coder": coder, "passage_id": passage, "code_id": None}]
    return pd.DataFrame(rows, columns=["coder", "passage_id", "code_id"])


def passage_of(text: str) -> str:
    """The passage id of a turn's text."""
    return next(f"m-{n:02d}-1" for n, (t, _theme, _codes) in enumerate(_turns()) if t == text)


def human_codebook(with_starter: bool = False) -> Codebook:
    """dana's codebook: the four theme codes (under the CX starter codebook with ``with_starter``)."""
    codes = [Code(code_id, name) for code_id, name in CODE_NAMES.items()]
    if not with_starter:
        return Codebook(codes, name="dana's codes")
    book = starter_codebook()
    for code in codes:
        book.add(code)
    return book

"""Cross-channel inconsistency (issue 15): found in any industry, and not in a passage that merely names two channels.

Hand-written passages of a bank and a telecom (no travel words): a pain lane of ordinary complaints
with a few stories of answers that differ between channels, and a few that name two channels
without any inconsistency. MiniLM, as the analysis runs by default (offline: tests/conftest.py).
"""
from __future__ import annotations

import numpy as np
import pytest

from workbench.analysis.cross_channel import (
    CROSS_CHANNEL_KEY, MIN_UNITS, PROTOTYPES, attributed_channels, cross_channel_mask, separate_cross_channel,
)

INCONSISTENT = [
    "The app said my savings transfer was done, but the branch told me it never left my account.",
    "Online banking shows a £30 overdraft fee, the adviser on the phone said there is no fee. Which is it?",
    "The helpline said my broadband contract ends in March, the letter says I'm locked in until next year.",
    "The shop told me the upgrade was free, the website says I owe £60 for the handset.",
    "The chatbot said my router replacement was approved, then an email said there is no record of my request.",
    # a history no channel shares, with no statement attributed: found when it is close enough
    "Every time I call the bank I have to explain the fraud claim from the beginning, the chat can't see my "
    "emails and the branch can't see the chat.",
    "I have one ticket number from the engineer and another from the call centre, and neither can see the other.",
]
TWO_CHANNELS_NO_CONFLICT = [
    "I called after the app crashed.",
    "I rang the bank and then checked the app, the transfer was there.",
    "The engineer came on Tuesday and the email confirming it arrived the day before.",
    "I paid in the branch and got a text receipt straight away.",
    "I went to the shop and they set up the app on my phone for me.",
    "I emailed them and then phoned, and the agent sorted it in ten minutes.",
]
ORDINARY = [
    "My card was declined at the supermarket twice.", "The mortgage application took three months.",
    "They charged me interest on a balance I had already paid.", "The signal drops every evening at home.",
    "My bill went up by twenty pounds without warning.", "I was on hold for forty minutes.",
    "The app logs me out every time I open it.", "The broadband has been down for a week.",
    "They closed my account without telling me why.", "The new card never arrived.",
    "The overdraft limit was cut with no notice.", "I waited two weeks for the engineer.",
    "The savings rate dropped and nobody told me.", "Roaming charges were much higher than advertised.",
    "The fraud team froze my account for days.", "My direct debit was taken twice this month.",
    "The contract was hard to cancel.", "Internet speed is half what they promised.",
    "The cash machine swallowed my card.", "Nobody answered my complaint for a month.",
]
TEXTS = INCONSISTENT + TWO_CHANNELS_NO_CONFLICT + ORDINARY


@pytest.fixture(scope="module")
def embedded() -> tuple[np.ndarray, np.ndarray]:
    from workbench.analysis.embedders import get_embedder

    embedder = get_embedder("minilm")
    return np.asarray(embedder.encode(TEXTS)), np.asarray(embedder.encode(list(PROTOTYPES)))


def test_statements_attributed_to_channels_are_read_in_any_industry() -> None:
    assert attributed_channels(INCONSISTENT[0]) == ["app", "in person"]
    assert attributed_channels(INCONSISTENT[2]) == ["email or letter", "phone"]
    assert all(attributed_channels(text) == [] for text in TWO_CHANNELS_NO_CONFLICT)


def test_inconsistency_is_found_and_two_channels_alone_are_not(embedded) -> None:
    vectors, prototypes = embedded
    found = cross_channel_mask(TEXTS, vectors, prototypes)
    n_inconsistent, n_plain = len(INCONSISTENT), len(TWO_CHANNELS_NO_CONFLICT)
    assert found[:5].all()  # every story that attributes different answers to two channels
    assert found[:n_inconsistent].sum() >= 5
    assert not found[n_inconsistent:n_inconsistent + n_plain].any()  # "I called after the app crashed"
    assert not found[n_inconsistent + n_plain:].any()


def test_the_group_is_formed_only_with_enough_passages_and_voices(embedded) -> None:
    vectors, prototypes = embedded
    rows = np.arange(len(TEXTS))
    keys = np.array(["t0"] * len(TEXTS), dtype=object)
    split = separate_cross_channel(keys, rows, TEXTS, vectors, [f"P{i}" for i in rows], prototypes)
    assert split.formed and split.n_units >= MIN_UNITS and split.taken_from == {"t0": split.n_units}
    assert (keys == CROSS_CHANNEL_KEY).sum() == split.n_units
    assert set(keys[len(INCONSISTENT):]) == {"t0"}
    assert split.as_record()["reason"]
    # the same passages told by two people only: nothing moves
    keys = np.array(["t0"] * len(TEXTS), dtype=object)
    split = separate_cross_channel(keys, rows, TEXTS, vectors, [f"P{i % 2}" for i in rows], prototypes)
    assert not split.formed and set(keys) == {"t0"} and "too few" in split.reason

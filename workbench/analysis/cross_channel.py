"""Cross-channel inconsistency: a pain point of its own, taken out of the topics it is about.

"The app said the bag was included, the desk said pay 40", "the branch told me one thing, the
helpline the opposite", "the chat can't see my emails, so I repeat my story every time": the
omnichannel pain point of any industry (banks, telecoms, retail, utilities, travel). Such
passages are *about* a refund, a fee or a contract, and clustering puts them with that topic;
what they share is not their topic but their shape, answers that differ from channel to channel.
:func:`separate_cross_channel` takes them out of their topic groups into one group of their own,
after the pain lane is fitted (:mod:`workbench.analysis.painpoint_groups`), when there are enough:

1. **Channels.** A passage must name at least one channel or touchpoint (the touchpoint cues
   of :mod:`workbench.analysis.lens_cues`); better, it *attributes* statements to channels
   ("the app said", "the agent on the phone told me", "the website shows": :func:`attributed_channels`).
2. **Meaning.** Its embedding, by the study's own embedder, is close to one of a few
   industry-neutral statements of cross-channel inconsistency or of a history no channel shares
   (:data:`PROTOTYPES`, which name no topic: a prototype about a transfer would draw every transfer
   story). Closeness is measured against the study: the robust z-score (median, MAD) of the
   passage's best prototype similarity among the pain lane's passages, so it does not depend on
   the embedder's scale. The more channel evidence, the less closeness is asked
   (:data:`REQUIRED_Z`): statements attributed to two channels, at least the lane's median
   (``z >= 0``); two channels named, ``z >= 2``; one channel named, ``z >= 2.5``; none, never.
3. **Enough of them.** The group is formed only with at least :data:`MIN_UNITS` passages from
   :data:`MIN_VOICES` different people (or feedback items); otherwise nothing moves.

What moved, and from which groups, is returned as a :class:`CrossChannelSplit` for the manifest
(``info["cross_channel"]``), as near-duplicate merges are. A researcher's edits are replayed after
it, so a human move wins.

Example:
    >>> attributed_channels("The app said it was paid, but the branch told me it never arrived.")
    ['app', 'in person']
    >>> attributed_channels("I called them after the app crashed.")
    []
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from workbench.analysis.lens_cues import TOUCHPOINT_CUES, cue_matrix

__all__ = ["CROSS_CHANNEL_KEY", "CROSS_CHANNEL_LABEL", "CROSS_CHANNEL_LANE", "CrossChannelSplit", "PROTOTYPES",
           "attributed_channels", "cross_channel_mask", "rerun_kinds", "separate_cross_channel"]

#: the group key of the cross-channel pain point (a pain-lane key: :func:`~workbench.analysis.painpoint_groups.lane_of`)
CROSS_CHANNEL_KEY = "x0"
#: its name (what its passages share is their shape, not a phrase: their most frequent phrase is their topic)
CROSS_CHANNEL_LABEL = "Different answers on different channels"
#: fewest passages, and fewest different voices among them, for the group to be formed
MIN_UNITS, MIN_VOICES = 5, 3
#: the lane of the cross-channel passages in the stability reruns (:func:`rerun_kinds`)
CROSS_CHANNEL_LANE = "cross_channel"

#: industry-neutral statements of the pain point, embedded with the study's embedder
PROTOTYPES: tuple[str, ...] = (
    "The app told me one thing and the branch told me something completely different.",
    "The website shows one price, the agent on the phone quoted me a different price.",
    "The chat said I was entitled to a refund, the email said only a voucher, the phone said nothing at all.",
    "The chat agent could not see my emails and the phone agent could not see the chat.",
    "Every time I contact them I have to repeat my whole story from the start to someone new.",
    "Each channel opened a new case number and none of them can see the others.",
    "The email says my contract is cancelled, the app says it is still active. Which one is right?",
    "The agent promised on the phone to waive the fee, then the letter said there was no record of any agreement.",
    "The store told me one thing, the online team told me the opposite.",
    "Their departments don't talk to each other, the left hand doesn't know what the right hand is doing.",
    "I got two different answers from two different people at the same company.",
    "The technician said the fault was fixed, but the helpline still shows the ticket as open.",
)

#: prototype similarity (as a z-score within the lane) asked of a passage, by its channel evidence
REQUIRED_Z = {"attributed": 0.0, "named_two": 2.0, "named_one": 2.5}

# A channel followed, within three words, by a verb that reports what it said or showed.
_CHANNELS = {
    "app": r"apps?",
    "website": r"web ?sites?|site|online|portal|faq|web ?page",
    "chat": r"(?:live |web )?chat(?: ?bot)?|bot|virtual assistant",
    "email or letter": r"e-?mails?|letters?|text messages?|texts?|sms|replies|reply|notifications?",
    "phone": r"phone(?: line)?|call cent(?:re|er)|help ?line|hotline|agents?|advis[eo]rs?|operators?|reps?|representatives?",
    "in person": r"desks?|counters?|branch(?:es)?|stores?|shops?|reception(?:ist)?|staff|technicians?|engineers?|cashiers?|tellers?",
    "social media": r"dms?|facebook|instagram|twitter|social media(?: team)?",
}
_REPORTS = (r"(?:\s+[\w'\"]+){0,3}?\s+(?:said|says|say|told|tells|shows?|showed|shown|confirmed|confirms|promised|quoted|"
            r"stated|states|claims?|claimed|insisted|replied|reads)\b")
_ATTRIBUTION = {name: re.compile(rf"\b(?:{words})\b{_REPORTS}", re.IGNORECASE) for name, words in _CHANNELS.items()}


def attributed_channels(text: str) -> list[str]:
    """The channels ``text`` attributes a statement to ("the app said", "the agent on the phone told me").

    Example:
        >>> attributed_channels("Website says cancelled. App says confirmed.")
        ['app', 'website']
        >>> attributed_channels("The chat bot told me the card was blocked.")
        ['chat']
    """
    return [name for name, pattern in _ATTRIBUTION.items() if pattern.search(text)]


def _prototype_z(vectors: np.ndarray, prototype_vectors: np.ndarray) -> np.ndarray:
    """Each row's best cosine to a prototype, as a robust z-score among the rows (median, scaled MAD).

    Robust, so that a study where many passages tell of it does not raise the bar for them all.
    """
    # cosines without a normalised copy of the vectors: a million float32 rows are not copied
    protos = prototype_vectors / np.maximum(np.linalg.norm(prototype_vectors, axis=1, keepdims=True), 1e-12)
    norms = np.maximum(np.linalg.norm(vectors, axis=1), 1e-12).astype(np.float64)
    best = (vectors @ protos.T.astype(vectors.dtype)).max(axis=1).astype(np.float64) / norms
    centre = float(np.median(best))
    spread = 1.4826 * float(np.median(np.abs(best - centre)))
    return (best - centre) / max(spread, 1e-6)


def cross_channel_mask(texts: Sequence[str], vectors: np.ndarray, prototype_vectors: np.ndarray) -> np.ndarray:
    """Which of ``texts`` tell of answers that differ between channels (steps 1-2 of the module docstring).

    ``vectors`` are the texts' embeddings, ``prototype_vectors`` the embeddings of :data:`PROTOTYPES`
    by the same embedder; the closeness is a z-score among ``texts``, so pass a whole lane, not a few.

    Example:
        >>> from workbench.analysis.embedders import StaticEmbedder
        >>> embedder = StaticEmbedder()
        >>> texts = ["The app said paid, the branch said it never arrived."] + ["My card was declined."] * 20
        >>> cross_channel_mask(texts, embedder.encode(texts), embedder.encode(list(PROTOTYPES)))[:2].tolist()
        [True, False]
    """
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=bool)
    z = _prototype_z(np.asarray(vectors), np.asarray(prototype_vectors, dtype=np.float64))
    named = (cue_matrix(list(texts), "touchpoint", list(TOUCHPOINT_CUES)) > 0).sum(axis=1)
    attributed = np.array([len(attributed_channels(t)) for t in texts])
    required = np.where(attributed >= 2, REQUIRED_Z["attributed"],
                        np.where(named >= 2, REQUIRED_Z["named_two"],
                                 np.where(named >= 1, REQUIRED_Z["named_one"], np.inf)))
    return z >= required


@dataclass(frozen=True)
class CrossChannelSplit:
    """The cross-channel pain point formed (or not), for the manifest.

    Attributes:
        key: its group key (:data:`CROSS_CHANNEL_KEY`).
        formed: whether the group was formed (enough passages and voices).
        n_units: passages found (moved when ``formed``).
        n_voices: different people or feedback items among them.
        taken_from: group key → passages taken from it.
        reason: why it was or was not formed.

    Example:
        >>> CrossChannelSplit("x0", False, 2, 2, {}, "too few").as_record()["formed"]
        False
    """

    key: str
    formed: bool
    n_units: int
    n_voices: int
    taken_from: dict[str, int] = field(default_factory=dict)
    reason: str = ""

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict for the manifest."""
        return asdict(self)


def separate_cross_channel(
    keys: np.ndarray, rows: np.ndarray, texts: Sequence[str], vectors: np.ndarray, voices: Sequence[str],
    prototype_vectors: np.ndarray, excluded: Sequence[str] = (),
) -> CrossChannelSplit:
    """Move the lane's cross-channel passages (``rows`` of ``keys``) into :data:`CROSS_CHANNEL_KEY`, in place.

    Passages whose key is in ``excluded`` (Other) stay where they are and do not count. Nothing
    moves unless at least :data:`MIN_UNITS` passages from :data:`MIN_VOICES` voices are found.

    Example:
        >>> split = separate_cross_channel(keys, pain_rows, texts, vectors, voices, protos)  # doctest: +SKIP
        >>> split.formed, split.taken_from  # doctest: +SKIP
        (True, {'t0': 4, 't3': 6})
    """
    rows = np.asarray(rows, dtype=int)
    if len(rows) == 0:
        return CrossChannelSplit(CROSS_CHANNEL_KEY, False, 0, 0, {}, "no passages in the lane")
    found = rows[cross_channel_mask([texts[i] for i in rows], vectors[rows], prototype_vectors)]
    found = np.array([i for i in found if str(keys[i]) not in set(excluded)], dtype=int)
    n_voices = len({str(voices[i]) for i in found})
    taken = dict(sorted(Counter(str(keys[i]) for i in found).items()))
    if len(found) < MIN_UNITS or n_voices < MIN_VOICES:
        return CrossChannelSplit(CROSS_CHANNEL_KEY, False, len(found), n_voices, taken,
                                 f"too few: {len(found)} passages from {n_voices} voices "
                                 f"(at least {MIN_UNITS} from {MIN_VOICES} are needed)")
    keys[found] = CROSS_CHANNEL_KEY
    return CrossChannelSplit(CROSS_CHANNEL_KEY, True, len(found), n_voices, taken,
                             "answers that differ between channels, or a history no channel shares")


def rerun_kinds(texts: Sequence[str], vectors: np.ndarray, unit_kinds: Sequence[str], voices: Sequence[str],
                prototype_vectors: np.ndarray) -> list[str]:
    """The units' kinds for the stability reruns: cross-channel passages of the pain lane get their own.

    The main fit takes them out of their topic groups after clustering (:func:`separate_cross_channel`);
    a rerun must do the same, or the pain point it forms would look unstable for a reason that says
    nothing about it. The rule needs no clustering, so the reruns give these passages one group
    (:func:`workbench.rigour.rerun_fits.fit_lanes`) when there are enough of them, as the main fit does.

    Example:
        >>> from workbench.analysis.embedders import StaticEmbedder
        >>> embedder = StaticEmbedder()
        >>> texts = ["My card was declined."] * 20
        >>> rerun_kinds(texts, embedder.encode(texts), ["pain"] * 20, ["p1"] * 20, embedder.encode(list(PROTOTYPES)))[0]
        'pain'
    """
    kinds = [str(kind) for kind in unit_kinds]
    pain = np.array([i for i, kind in enumerate(kinds) if kind not in ("delight", "context")], dtype=int)
    if len(pain) == 0:
        return kinds
    found = pain[cross_channel_mask([texts[i] for i in pain], np.asarray(vectors)[pain], prototype_vectors)]
    if len(found) < MIN_UNITS or len({str(voices[i]) for i in found}) < MIN_VOICES:
        return kinds
    for i in found:
        kinds[i] = CROSS_CHANNEL_LANE
    return kinds

"""The CX/UX taxonomy as data, and zero-shot assignment of passages and pain points to it.

A :class:`Lens` is one way of looking at customer stories: the CX/UX **dimension** a passage is
about (pricing, customer service, navigation…), the **touchpoint** where it happened (mobile app,
call centre…) and the journey **stage** (consideration, purchase/booking, support…). Each label
has a description written the way customers talk, and assignment is zero-shot: a passage gets the
label whose description it is most similar to in embedding space. No training data is needed, and
a study can add or reword labels in ``study.toml``::

    [analysis.lenses.touchpoint]
    "chatbot" = "the chat bot or virtual assistant on the website or in the app"
    "post" = false          # remove a label
    # replace = true        # use only the labels listed here

**How a label is embedded.** Each description is cut into short phrases (its sentences, then
its comma/"or" clauses) and every phrase, plus the whole description, is embedded. A passage's
score for a label ("blend") is the mean of three cosine similarities: to the label's best
phrase (max), averaged over its phrases (mean), and to the whole description. Measured on the
hand-written sentences of ``tests/test_lenses.py`` (about 30 per lens, mean accuracy over the
three lenses, with the cross-industry descriptions of issue 15), blend was best with both
embedders: MiniLM max 0.82, mean 0.80, description 0.78, blend 0.86; static (wordllama) max 0.80,
mean 0.80, description 0.80, blend 0.85. The other poolings stay available
(``label_similarities(..., pooling=...)``); ``test_phrase_pooling_choice`` prints the numbers again.

**Embedding similarity alone is the fallback.** The pipeline places passages and pain points
with :mod:`workbench.analysis.lens_attribution`: explicit cues in the words ("on hold", "in the
app", "refund", :mod:`workbench.analysis.lens_cues`) and the source's channel come first, this
similarity second, and a pain point whose best label wins narrowly is "mixed".

Example:
    >>> lenses = default_lenses()
    >>> sorted(lenses)
    ['dimension', 'stage', 'touchpoint']
    >>> len(lenses["dimension"].labels), len(lenses["touchpoint"].labels), len(lenses["stage"].labels)
    (13, 10, 7)
    >>> touchpoint_from_channel("Google Play")
    'mobile app'
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError


class _Embedder(Protocol):  # the part of workbench.analysis.embedders.base's Embedder this module uses
    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Lens:
    """A named set of labels, each with a description in customers' words.

    Example:
        >>> lens = Lens("channel", {"phone": "calling them on the phone", "web": "the website, online"})
        >>> lens.phrases("web")
        ['the website, online', 'the website', 'online']
    """

    name: str
    labels: dict[str, str] = field(default_factory=dict)

    def phrases(self, label: str) -> list[str]:
        """Return the short texts embedded for ``label``: its sentences, then their clauses.

        The whole description comes first when it is one sentence; clauses of two words or more
        follow (one-word clauses are kept too: "fees", "Twitter" are what customers say).
        """
        description = self.labels[label]
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", description) if s.strip()]
        phrases: list[str] = []
        for sentence in sentences:
            phrases.append(sentence.rstrip("."))
            clauses = [c.strip(" .") for c in re.split(r"[,;:]\s+|\s+or\s+|\s+—\s+", sentence)]
            phrases.extend(c for c in clauses if c)
        return list(dict.fromkeys(p for p in phrases if p))


# ---------------------------------------------------------------------------------------------
# the default taxonomy (data; a study overrides it in study.toml [analysis.lenses.*])

DIMENSION_LABELS: dict[str, str] = {
    # CX elements
    "customer service": (
        "The staff, agents or support team who helped me, or didn't: rude, friendly, helpful, slow to "
        "reply, never called back, nobody took ownership of my problem. How my complaint or refund "
        "was handled."
    ),
    "marketing and advertising": (
        "Adverts, promotional emails, texts and notifications, newsletters and offers; the advert "
        "promised something different from what I got; too many marketing messages and spam."
    ),
    "sales process": (
        "How they sell and the steps of buying or signing up: add-ons and upsells pushed at me, "
        "pressure to buy, being mis-sold, automatic renewals, the payment taken but no confirmation "
        "sent."
    ),
    "pricing": (
        "The price, fees, charges and bills: being overcharged, hidden fees, surcharges, prices going "
        "up, discounts, value for money, too expensive."
    ),
    "brand reputation": (
        "What I think of the company as a whole: trust, reputation, reviews, I would never use them "
        "again, I'd recommend them to friends, feeling let down by the brand."
    ),
    "product and delivery": (
        "The product or service itself and whether it was delivered as promised: faulty or broken, "
        "late or missing orders, delays, cancellations, outages, poor quality, the wrong item or "
        "room."
    ),
    "UX": (
        "The overall experience of using the app, website or machine: it keeps crashing, freezes, "
        "logs me out, login codes fail, slow to load, buggy, unreliable."
    ),
    # UX elements
    "usability": (
        "Hard to use, confusing, too many steps to do a simple thing, I couldn't work out how to do "
        "it, forms that are difficult to fill in, entering the same details again."
    ),
    "navigation": (
        "Finding my way around the app or website: menus, I couldn't find the page or the button, "
        "getting lost, going back, the search function."
    ),
    "interaction design": (
        "How buttons, taps, swipes, forms and pop-ups respond: pressing a button and nothing happens, "
        "no feedback, greyed-out options, the session timed out, a phone menu that loops."
    ),
    "visual design": (
        "How the app or website looks: layout, colours, fonts, text too small to read, cluttered "
        "screens, looks dated or modern, dark mode."
    ),
    "information architecture": (
        "How information is organised and labelled: details spread over several screens or sections, "
        "categories that make no sense, things grouped in odd places."
    ),
    "content": (
        "The wording and information given: unclear terms and conditions, missing, wrong or "
        "misleading information, confusing letters and messages, policies not explained, jargon, bad "
        "translations."
    ),
}

TOUCHPOINT_LABELS: dict[str, str] = {
    "store / in person": (
        "In person at the shop, branch, desk, counter or reception: talking face to face with staff, "
        "the airport or hotel desk, the check-in counter."
    ),
    "kiosk / point of sale": (
        "A self-service machine or till: the kiosk, self-checkout, ticket machine, cash machine, "
        "check-in machine or card terminal where I paid in person."
    ),
    "phone and IVR": (
        "The automated phone menu: press 1 for this, press 2 for that, voice recognition, hold music, "
        "waiting on hold, the menu going round in circles, the call dropping."
    ),
    "call centre": (
        "Talking to an agent on the phone: the call centre, the person on the phone, being "
        "transferred between agents, calling customer service."
    ),
    "website": (
        "The website on my laptop or in a browser: ordering or booking online on the site, the web "
        "checkout, my online account, the live chat on the website."
    ),
    "mobile app": (
        "The mobile app on my phone: the app crashes, logging in to the app, push notifications, the "
        "boarding pass in the app, app update."
    ),
    "social media": (
        "Twitter, Facebook, Instagram or TikTok: posting about the company on social media, sending "
        "them a direct message, complaining publicly online."
    ),
    "email": (
        "Emails: the confirmation email, emailing customer support, waiting for a reply in my inbox, "
        "newsletters and messages they sent by email."
    ),
    "post": (
        "Something sent by post: a letter, paper bills or documents, a cheque, mail sent to my home "
        "address."
    ),
    "delivery": (
        "Delivery of something physical: a parcel, a courier or driver, an order or a card delivered "
        "to my door, tracking a delivery."
    ),
}

STAGE_LABELS: dict[str, str] = {
    "awareness": (
        "How I first heard of the company: an advert, a friend recommended them, I saw them on social "
        "media or in search results."
    ),
    "consideration": (
        "Comparing options before deciding: looking at prices, quotes and reviews, comparing "
        "companies and plans, checking what is included, weighing up alternatives."
    ),
    "purchase/booking": (
        "Buying, booking or signing up: the checkout, entering card details, the price at the final "
        "step, the payment going through, the order or booking confirmation."
    ),
    "use": (
        "Using the product or service: the stay, the flight, the broadband, my account and bills, the "
        "app day to day, the product itself working or not."
    ),
    "delivery/fulfilment": (
        "Getting what I ordered or booked: the delivery, installation or tickets arriving, the "
        "reservation being there when we arrived, the right item, on time."
    ),
    "support": (
        "Getting help when something went wrong: contacting customer service, complaints, refunds and "
        "returns, claims, changing or cancelling an order or booking."
    ),
    "loyalty and advocacy": (
        "Staying or leaving: loyalty points and rewards, renewals, coming back again, switching to a "
        "competitor, recommending them to friends, writing a review."
    ),
}


def default_lenses() -> dict[str, Lens]:
    """Return the default lenses: ``dimension`` (13 CX/UX elements), ``touchpoint`` (10), ``stage`` (7).

    Each call returns fresh objects, so changing one never changes another study's taxonomy.

    Example:
        >>> lenses = default_lenses()
        >>> "pricing" in lenses["dimension"].labels and "mobile app" in lenses["touchpoint"].labels
        True
        >>> list(lenses["stage"].labels)[:3]
        ['awareness', 'consideration', 'purchase/booking']
    """
    return {
        "dimension": Lens("dimension", dict(DIMENSION_LABELS)),
        "touchpoint": Lens("touchpoint", dict(TOUCHPOINT_LABELS)),
        "stage": Lens("stage", dict(STAGE_LABELS)),
    }


def lenses_from_config(overrides: Mapping[str, Any] | None) -> dict[str, Lens]:
    """Return the default lenses changed by a study's ``[analysis.lenses.*]`` tables.

    ``overrides`` maps a lens name to a table of ``label = description``: a new label is added, an
    existing one gets the new description, ``label = false`` removes it, and ``replace = true``
    makes the lens hold only the labels in the table. A table for a new lens name creates that
    lens (it needs two labels at least). The whole ``[analysis]`` table may be passed too (its
    ``lenses`` key is used).

    Raises:
        WorkbenchError: naming the bad key, e.g. a description that is not text.

    Example:
        >>> lenses = lenses_from_config({"touchpoint": {"chatbot": "the chat bot on the website or app",
        ...                                              "post": False}})
        >>> "chatbot" in lenses["touchpoint"].labels, "post" in lenses["touchpoint"].labels
        (True, False)
        >>> lenses_from_config({"touchpoint": {"kiosk": 3}})
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: study.toml [analysis.lenses.touchpoint] key 'kiosk': ...
    """
    lenses = default_lenses()
    if not overrides:
        return lenses
    if not isinstance(overrides, Mapping):
        raise WorkbenchError("study.toml [analysis.lenses] must be a table of lens tables, e.g. [analysis.lenses.touchpoint]")
    if "lenses" in overrides and isinstance(overrides["lenses"], Mapping):
        overrides = overrides["lenses"]
    for lens_name, table in overrides.items():
        where = f"study.toml [analysis.lenses.{lens_name}]"
        if not isinstance(lens_name, str) or not lens_name.strip():
            raise WorkbenchError(f"study.toml [analysis.lenses] key {lens_name!r}: a lens needs a name")
        if not isinstance(table, Mapping):
            raise WorkbenchError(
                f"{where}: must be a table of label = \"description\" lines, got {type(table).__name__}"
            )
        replace = table.get("replace", False)
        if not isinstance(replace, bool):
            raise WorkbenchError(f"{where} key 'replace': must be true or false, got {replace!r}")
        base = lenses.get(lens_name)
        labels: dict[str, str] = {} if (replace or base is None) else dict(base.labels)
        for label, description in table.items():
            if label == "replace":
                continue
            if not isinstance(label, str) or not label.strip():
                raise WorkbenchError(f"{where} key {label!r}: a label needs a name")
            if description is False:
                if label not in labels and not replace:
                    known = ", ".join(sorted(labels))
                    raise WorkbenchError(f"{where} key '{label}': cannot remove a label the lens does not have; known labels: {known}")
                labels.pop(label, None)
                continue
            if not isinstance(description, str) or len(description.split()) < 2:
                raise WorkbenchError(
                    f"{where} key '{label}': give a description of a few words in customers' language "
                    f"(or false to remove the label), got {description!r}"
                )
            labels[label.strip()] = description.strip()
        if len(labels) < 2:
            raise WorkbenchError(f"{where}: a lens needs at least two labels, it has {len(labels)}; add labels or drop 'replace'")
        lenses[lens_name] = Lens(lens_name, labels)
    return lenses


# ---------------------------------------------------------------------------------------------
# zero-shot assignment


def _as_unit_rows(vectors: np.ndarray) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2:
        raise WorkbenchError(f"lenses: expected a 2-D array of unit vectors (one row per passage), got shape {array.shape}")
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms == 0, 1.0, norms)


_LABEL_VECTORS: dict[tuple[Any, ...], np.ndarray] = {}  # (embedder, texts) -> vectors; labels change rarely


def encode_label_texts(embedder: _Embedder, texts: Sequence[str]) -> np.ndarray:
    """``embedder.encode(texts)`` for label phrases and examples, remembered per embedder and text list.

    Each call that scores passages needs the same few hundred label texts; MiniLM took ~4 s of CPU
    a call to embed them again. Up to 64 text lists are kept.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> embedder = get_embedder("static")
        >>> encode_label_texts(embedder, ["fees"]) is encode_label_texts(embedder, ["fees"])
        True
    """
    key = (id(embedder), str(getattr(embedder, "model_id", type(embedder).__name__)), tuple(texts))
    if key not in _LABEL_VECTORS:
        if len(_LABEL_VECTORS) >= 64:
            _LABEL_VECTORS.pop(next(iter(_LABEL_VECTORS)))
        _LABEL_VECTORS[key] = np.asarray(embedder.encode(list(texts)))
    return _LABEL_VECTORS[key]


def label_similarities(unit_vectors: np.ndarray, lens: Lens, embedder: _Embedder, pooling: str = "blend") -> np.ndarray:
    """Return an ``(n_units, n_labels)`` array of cosine similarities to the lens's labels.

    ``pooling`` says how a label's texts are combined: ``"max"`` (best phrase), ``"mean"``
    (mean over the phrases), ``"description"`` (the whole description as one text) or
    ``"blend"`` (default: the mean of those three, measured best with both embedders). Columns
    follow ``list(lens.labels)``.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> embedder = get_embedder("static")
        >>> lens = Lens("t", {"app": "the mobile app on my phone", "phone": "calling the call centre"})
        >>> sims = label_similarities(embedder.encode(["the app crashed"]), lens, embedder)
        >>> sims.shape, int(sims.argmax())
        ((1, 2), 0)
    """
    if pooling not in ("max", "mean", "description", "blend"):
        raise WorkbenchError(f"lenses: unknown pooling {pooling!r}; use 'blend', 'max', 'mean' or 'description'")
    if not lens.labels:
        raise WorkbenchError(f"lens '{lens.name}' has no labels; add some in study.toml [analysis.lenses.{lens.name}]")
    units = _as_unit_rows(unit_vectors)
    labels = list(lens.labels)
    texts: list[str] = []
    owner: list[int] = []  # label index of each phrase; -1 - index marks a whole description
    for index, label in enumerate(labels):
        if pooling != "description":
            for phrase in lens.phrases(label):
                texts.append(phrase)
                owner.append(index)
        if pooling in ("description", "blend"):
            texts.append(lens.labels[label])
            owner.append(-1 - index)
    vectors = _as_unit_rows(encode_label_texts(embedder, texts))
    _check_dimension(units, vectors, embedder)
    similarities = units @ vectors.T
    owner_array = np.asarray(owner)
    result = np.empty((units.shape[0], len(labels)), dtype=np.float32)
    for index in range(len(labels)):
        parts = []
        phrase_columns = similarities[:, owner_array == index]
        if pooling in ("max", "blend"):
            parts.append(phrase_columns.max(axis=1))
        if pooling in ("mean", "blend"):
            parts.append(phrase_columns.mean(axis=1))
        if pooling in ("description", "blend"):
            parts.append(similarities[:, owner_array == -1 - index][:, 0])
        result[:, index] = np.mean(parts, axis=0)
    return result


def _check_dimension(units: np.ndarray, labels: np.ndarray, embedder: _Embedder) -> None:
    if units.shape[1] != labels.shape[1]:
        raise WorkbenchError(
            f"lenses: the passages were embedded with {units.shape[1]} dimensions but "
            f"{getattr(embedder, 'model_id', 'the embedder')} gives {labels.shape[1]}; embed both with the same model"
        )


def assign_lens(unit_vectors: np.ndarray, lens: Lens, embedder: _Embedder) -> tuple[list[str], np.ndarray]:
    """Return the best label of each unit and its cosine similarity.

    ``unit_vectors`` are the (already embedded, L2-normalised) passages, one row each, made by
    the same ``embedder``. The score is the "blend" similarity (see the module docstring).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> embedder = get_embedder("static")
        >>> vectors = embedder.encode(["the app keeps crashing", "I waited on hold for an hour"])
        >>> labels, scores = assign_lens(vectors, default_lenses()["touchpoint"], embedder)
        >>> labels
        ['mobile app', 'phone and IVR']
        >>> scores.shape
        (2,)
    """
    units = _as_unit_rows(unit_vectors)
    if units.shape[0] == 0:
        return [], np.zeros(0, dtype=np.float32)
    similarities = label_similarities(units, lens, embedder)
    best = similarities.argmax(axis=1)
    labels = list(lens.labels)
    return [labels[i] for i in best], similarities[np.arange(len(best)), best].astype(np.float32)


def assign_lens_to_groups(
    unit_vectors: np.ndarray, group_ids: Sequence[Any] | np.ndarray, lens: Lens, embedder: _Embedder
) -> pd.DataFrame:
    """Return one label per group (e.g. per pain point) with how sure the choice is.

    For each group the label with the highest **mean** similarity over the group's units wins.
    Columns: ``group_id``, ``label``, ``similarity`` (that mean), ``share`` (fraction of the
    group's units whose own best label is the same), ``margin`` (best mean minus the runner-up:
    small margins mean the group straddles two labels). Groups come in order of first appearance.

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> embedder = get_embedder("static")
        >>> texts = ["the app crashed", "app logged me out", "on hold for an hour", "automated phone menu loop"]
        >>> table = assign_lens_to_groups(embedder.encode(texts), [0, 0, 1, 1], default_lenses()["touchpoint"], embedder)
        >>> table[["group_id", "label"]].values.tolist()
        [[0, 'mobile app'], [1, 'phone and IVR']]
    """
    units = _as_unit_rows(unit_vectors)
    groups = np.asarray(list(group_ids), dtype=object)
    if len(groups) != units.shape[0]:
        raise WorkbenchError(f"lenses: {units.shape[0]} unit vectors but {len(groups)} group ids; pass one group id per unit")
    columns = ["group_id", "label", "similarity", "share", "margin"]
    if units.shape[0] == 0:
        return pd.DataFrame(columns=columns)
    similarities = label_similarities(units, lens, embedder)
    labels = list(lens.labels)
    own_best = similarities.argmax(axis=1)
    rows = []
    for group in dict.fromkeys(groups.tolist()):
        mask = np.array([g == group for g in groups.tolist()])
        means = similarities[mask].mean(axis=0)
        order = np.argsort(-means)
        best = int(order[0])
        runner_up = float(means[order[1]]) if len(order) > 1 else float("nan")
        rows.append(
            {
                "group_id": group,
                "label": labels[best],
                "similarity": float(means[best]),
                "share": float((own_best[mask] == best).mean()),
                "margin": float(means[best]) - runner_up,
            }
        )
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------------
# touchpoints from channel metadata

#: (pattern on the lower-cased channel, touchpoint); the first match wins
CHANNEL_RULES: tuple[tuple[str, str | None], ...] = (
    (r"\binterviews?\b|\bsurvey\b|\bfocus group\b|\bresearch\b", None),
    (r"\b(?:ivr|automated|voice (?:menu|bot|assistant)|phone (?:menu|tree)|robocall)\b", "phone and IVR"),
    (r"\b(?:call ?cent(?:re|er)|contact ?cent(?:re|er)|phone|telephone|hotline|helpline|agent call)s?\b", "call centre"),
    (r"\b(?:e-?mail|inbox|newsletter)s?\b", "email"),
    (r"\b(?:app ?store|apple store|google play|play store|ios|iphone|ipad|android|mobile|app|apps)\b", "mobile app"),
    (r"\b(?:twitter|x\.com|facebook|fb|instagram|insta|tiktok|linkedin|youtube|reddit|whatsapp|social)\b", "social media"),
    (r"\b(?:kiosk|self[- ]service|point of sale|pos|till|terminal|check-?in machine|bag drop)\b", "kiosk / point of sale"),
    (r"\b(?:desk|store|shop|in[- ]person|counter|reception|branch|lounge|gate|face to face|travel agent)\b", "store / in person"),
    (r"\b(?:website|web|desktop|online|browser|site|web ?chat|live ?chat|chat)\b", "website"),
    (r"\b(?:post|postal|letter|mail)\b", "post"),
    (r"\b(?:delivery|courier|parcel)\b", "delivery"),
)


def touchpoint_from_channel(channel: str | None) -> str | None:
    """Map a source's channel metadata to a touchpoint label, or ``None`` when it names none.

    Decisions: "phone", "call centre" → ``"call centre"`` (people answer); "IVR", "automated"
    → ``"phone and IVR"``; web/live chat → ``"website"``; interviews and surveys → ``None`` (the
    passage text decides, by zero-shot assignment). A channel that already is a default
    touchpoint label maps to itself.

    Example:
        >>> [touchpoint_from_channel(c) for c in ["App Store", "support email", "IVR", "Call Centre",
        ...     "desktop", "Instagram", "hotel desk", "interview", None]]
        ['mobile app', 'email', 'phone and IVR', 'call centre', 'website', 'social media', 'store / in person', None, None]
    """
    if channel is None or (not isinstance(channel, str) and pd.isna(channel)):
        return None
    text = str(channel).strip().lower().replace("_", " ")
    if not text:
        return None
    if text in TOUCHPOINT_LABELS:
        return text
    for pattern, touchpoint in CHANNEL_RULES:
        if re.search(pattern, text):
            return touchpoint
    return None

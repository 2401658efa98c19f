"""Varied feedback exports of 10k / 50k / 100k / 1M items built from CLINC150, for the scale benchmarks.

CLINC150 has 7,500 labelled requests (test + val, 150 intents). A large feedback export is
made of them so that items are *not* mere duplicates, yet each keeps a known intent:

* every item starts from one request (drawn round-robin over a seeded shuffle, so all intents
  appear about equally often);
* about 35 % of items add a second request **of the same intent** ("... Also, <other request>"),
  so the theme is unchanged but the text is new;
* every item gets a templated opener ("Hi,", "Quick question:", "Feedback from the app:" ...)
  and, for 60 %, a short story context ("I tried twice already.", "Order 4 of this month.",
  "This is on my phone.") with a random number in half of them;
* so 7,500 requests become tens of thousands of distinct texts (the distinct count is printed
  and written into the results); label = the intent of the first request.

Nothing here is committed: the CSVs go to a temporary folder (``--out``). Columns: ``id``,
``feedback`` (the text), ``channel``, ``rating``, and ``intent`` (the label, which the workbench
ignores as an extra column).

Example::

    .venv/bin/python benchmarks/scale_data.py --sizes 10000 --out /tmp/scale
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import CLINC, load_clinc  # noqa: E402  (reuse the project's CLINC loader)

OPENERS = [
    "", "", "Hi,", "Hello,", "Quick question:", "Feedback from the app:", "Customer wrote:", "Hey there,",
    "Not happy:", "Please help:", "Via chat:", "Good morning,", "Support ticket:", "One more thing:",
]
CONTEXTS = [
    "I tried twice already.", "This is the {n}th time I ask.", "I'm using the app on my phone.",
    "It's urgent, thanks.", "Order {n} of this month.", "My partner asked me to check.",
    "I'm travelling next week.", "The website didn't help.", "Waited {n} minutes on hold before.",
    "Thanks in advance!", "Still no answer after {n} days.", "Logged in from my laptop.",
    "Account holder since {n} years.", "Any update would be great.", "I wrote on {n} March too.",
    "Asking for my mother.", "First time using this service.", "Sorry if this is a repeat.",
]
CHANNELS = ["app", "email", "chat", "web", "phone"]


def load_requests() -> pd.DataFrame:
    """All in-scope CLINC150 requests (test + val) with their intent."""
    texts, intents = load_clinc()
    frame = pd.DataFrame({"text": texts, "intent": intents})
    val = pd.read_csv(CLINC / "val.csv")[["text", "intent"]]
    return pd.concat([frame, val], ignore_index=True)


def make_feedback(n_items: int, seed: int = 0) -> pd.DataFrame:
    """``n_items`` varied feedback items (see the module docstring); deterministic for a seed."""
    requests = load_requests()
    rng = random.Random(seed)
    by_intent = requests.groupby("intent")["text"].apply(list).to_dict()
    order = list(range(len(requests)))
    rng.shuffle(order)
    request_texts, request_intents = requests["text"].tolist(), requests["intent"].tolist()
    rows = []
    for i in range(n_items):
        base = {"text": request_texts[order[i % len(order)]], "intent": request_intents[order[i % len(order)]]}
        text = str(base["text"]).strip()
        if rng.random() < 0.35:
            other = rng.choice(by_intent[base["intent"]])
            if other != text:
                text = f"{text}. Also, {other}"
        opener = rng.choice(OPENERS)
        parts = [opener, text[:1].upper() + text[1:] + "."]
        if rng.random() < 0.6:
            parts.append(rng.choice(CONTEXTS).format(n=rng.randint(2, 30)))
        rows.append(
            {
                "id": f"F{i + 1:06d}" if n_items < 1_000_000 else f"F{i + 1:07d}",
                "feedback": " ".join(p for p in parts if p),
                "channel": rng.choice(CHANNELS),
                "rating": rng.randint(1, 5),
                "intent": base["intent"],
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--out", type=Path, default=Path("/tmp/cx-scale-data"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        frame = make_feedback(size)
        path = args.out / f"feedback_{size // 1000}k.csv"
        frame.to_csv(path, index=False)
        print(f"{path}: {len(frame)} items, {frame['feedback'].nunique()} distinct texts", file=sys.stderr)


if __name__ == "__main__":
    main()

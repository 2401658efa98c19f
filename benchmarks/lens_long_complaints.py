"""How the CX lenses fare on complaints of several sentences, with and without reading past the filler.

Real complaints wrap the problem in background, feelings and verdicts (:mod:`workbench.analysis.lens_focus`).
Two checks, each scored with the packaged models, once reading the whole text (``focus=False``) and
once leaving the filler sentences out first (the default):

* **wrapped**: every sentence of ``tests/data/lens_holdout.csv`` and ``lens_holdout2.csv`` with one
  sentence of background before it and one verdict after it, drawn (seeded) from :data:`BEFORE` and
  :data:`AFTER`, written for this check and not in the filler file; the label is the sentence's own;
* **long complaints**: ``tests/data/lens_long_dev.csv`` (60) and ``lens_long_holdout.csv`` (140),
  reviews, complaint-form narratives, e-mails and interview answers of 2–7 sentences written and
  labelled (by the rules of ``benchmarks/lens_accuracy.py``, on the dominant complaint) by a writer
  who never saw the filler file. The dev file was looked at while choosing :data:`FILLER_THRESHOLD`;
  the holdout file is only scored;
* **complaint forms and tweets**: ``tests/data/lens_check_finance.csv`` (70 consumer-finance complaints
  as complaint-form narratives) and ``lens_check_tweets.csv`` (70 tweets to companies), each written
  by the writer of that part of ``lens_training_round5.csv`` and kept out of it (same writer: an
  optimistic check of the style, not of other writers);
* **reviews and complaint letters by new writers** (2026-12-07): ``tests/data/lens_check_reviews.csv``
  (140 app-store, maps and Trustpilot-style reviews of 1–4 sentences, 63 kinds of business) and
  ``lens_check_letters.csv`` (150 complaint letters, e-mails and form narratives of 2–6 sentences, 78
  industries, none consumer finance), by four writers who never saw a training or held-out file (the
  labels are theirs; two more blind readers per file: ``benchmarks/lens_agreement.py``). Only scored.

Run from the project root::

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/lens_long_complaints.py [--embedders minilm static] [--no-write]

Writes the "Lens accuracy on long complaints" section of BENCHMARKS.md (between its marker comments).
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
# lens_accuracy puts the project on the path and keeps Hugging Face offline
from lens_accuracy import HOLDOUT, HOLDOUT2, LENSES, ROOT, accuracy, machine, section_main  # noqa: E402

LONG_DEV = ROOT / "tests" / "data" / "lens_long_dev.csv"
LONG_HOLDOUT = ROOT / "tests" / "data" / "lens_long_holdout.csv"
CHECK_FINANCE = ROOT / "tests" / "data" / "lens_check_finance.csv"
CHECK_REVIEWS = ROOT / "tests" / "data" / "lens_check_reviews.csv"
CHECK_LETTERS = ROOT / "tests" / "data" / "lens_check_letters.csv"
CHECK_TWEETS = ROOT / "tests" / "data" / "lens_check_tweets.csv"
START, END = "<!-- lens_long:start -->", "<!-- lens_long:end -->"
COMMAND = "HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/lens_long_complaints.py"
#: background put before a held-out sentence (none of these is in lens_filler.csv)
BEFORE = (
    "I've been a customer of theirs for about six years and never had a real problem until now.",
    "Long story, so stick with me here.",
    "We use them for pretty much everything in our house.",
    "I don't usually write reviews but I feel I have to this time.",
    "My wife and I have two kids and we both work full time.",
    "I'm typing this for my gran, who isn't online.",
)
#: verdicts put after it
AFTER = (
    "Really disappointed, I expected better.",
    "Absolutely ridiculous.",
    "Not sure I'll be staying with them after this.",
    "Avoid if you can.",
    "Make of that what you will.",
    "Cheers for nothing.",
)


def wrapped_table(seed: int = 3) -> pd.DataFrame:
    """The two held-out files' sentences, each wrapped in one sentence of background and one verdict."""
    rng = random.Random(seed)
    table = pd.concat([pd.read_csv(path, dtype=str, keep_default_na=False) for path in (HOLDOUT, HOLDOUT2)], ignore_index=True)
    table["text"] = [f"{rng.choice(BEFORE)} {sentence} {rng.choice(AFTER)}" for sentence in table["sentence"]]
    return table


def scored(table: pd.DataFrame, column: str, embedder, lens_name: str, focus: bool) -> float:  # noqa: ANN001
    """Accuracy on one lens of the rows of ``table`` labelled on it, reading ``column``."""
    from workbench.analysis.lens_attribution import score_units
    from workbench.analysis.lenses import default_lenses

    rows = table[table[lens_name] != ""]
    texts = rows[column].tolist()
    got = score_units(texts, embedder.encode(texts), default_lenses()[lens_name], embedder, focus=focus).unit_labels()
    return accuracy(rows[lens_name].tolist(), got)[0]


def run(embedders: list[str]) -> str:
    from workbench.analysis.embedders import get_embedder

    sets = [("held-out 1+2, wrapped", wrapped_table(), "text"), ("held-out 1+2, bare", wrapped_table(), "sentence")]
    for name, path in (("long complaints, dev", LONG_DEV), ("long complaints, holdout", LONG_HOLDOUT)):
        sets.append((name, pd.read_csv(path, dtype=str, keep_default_na=False), "text"))
    for name, path in (("complaint forms (finance)", CHECK_FINANCE), ("tweets", CHECK_TWEETS),
                       ("reviews, new writers", CHECK_REVIEWS), ("complaint letters, new writers", CHECK_LETTERS)):
        sets.append((name, pd.read_csv(path, dtype=str, keep_default_na=False), "sentence"))
    lines = [f"Machine: {machine()}. Command: `{COMMAND}`.", "",
             "Accuracy per lens, whole text → filler sentences left out (the default).", "",
             "| embedder | set | n | " + " | ".join(LENSES) + " |", "|---|---|---|" + "---|" * len(LENSES)]
    for name in embedders:
        embedder = get_embedder(name)
        for label, table, column in sets:
            cells = [f"{scored(table, column, embedder, lens, False):.1%} → **{scored(table, column, embedder, lens, True):.1%}**"
                     for lens in LENSES]
            lines.append(f"| {name} | {label} | {len(table)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    section_main(__doc__.split("\n")[0], run, START, END,
                 "Lens accuracy on long complaints (issue 15; `benchmarks/lens_long_complaints.py`)")


if __name__ == "__main__":
    main()

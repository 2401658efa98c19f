"""How often two readers agree on a sentence's lens labels, against how often the lenses agree with them.

Issue 15 asks for 85% per lens on single sentences. The question this answers is whether that gap is the
labels' fault (a sentence that two careful readers would label differently) or the model's. Each of the
two held-out files that nobody tuned on was labelled again, blind, by two more readers:

* ``tests/data/lens_holdout3.csv`` (220 sentences, 24 industries): readers A and B
  (``tests/data/lens_readers/holdout3_reader_a.csv``, ``..._b.csv``);
* ``tests/data/lens_holdout4.csv`` (240 sentences, 22 industries none of the training files had at the
  time; written 2026-12-07 by a writer shown only the rules and label descriptions): readers C and D
  (``holdout4_reader_c.csv``, ``..._d.csv``);
* ``tests/data/lens_check_reviews.csv`` (140 reviews of 1–4 sentences) and ``lens_check_letters.csv``
  (150 complaint letters of 2–6 sentences), written 2026-12-07 by four writers who never saw a training
  or held-out file: readers E and F, G and H (``check_reviews_reader_e.csv`` …). The model reads these
  as it reads any text of several sentences (filler left out, :mod:`workbench.analysis.lens_focus`).

Each reader saw only the sentence, its industry, the label descriptions of
:mod:`workbench.analysis.lenses` and the labelling rules of ``benchmarks/lens_accuracy.py``, never the
writer's labels, the other reader's or the model's, and labelled by reading (no script, no model).
Touchpoint is compared where both sides gave one (each reader leaves it empty where no channel is named).

Per lens: writer~reader and reader~reader agreement, the share where all three agree, and the packaged
lenses (MiniLM and static) against the writer, each reader and the majority label (where two of the
three agree).

Run from the project root::

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/lens_agreement.py [--embedders minilm static] [--no-write]

Writes the "Lens labels: readers against the model" section of BENCHMARKS.md (between its marker comments).
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
# lens_accuracy puts the project on the path and keeps Hugging Face offline
from lens_accuracy import HOLDOUT3, HOLDOUT4, LENSES, ROOT, machine, predictions, section_main  # noqa: E402

READERS = ROOT / "tests" / "data" / "lens_readers"
#: each held-out file with its two blind readers' label files (columns id, dimension, touchpoint, stage)
SETS = (
    ("held-out 3", HOLDOUT3, (READERS / "holdout3_reader_a.csv", READERS / "holdout3_reader_b.csv")),
    ("held-out 4", HOLDOUT4, (READERS / "holdout4_reader_c.csv", READERS / "holdout4_reader_d.csv")),
    ("reviews (new writers)", ROOT / "tests" / "data" / "lens_check_reviews.csv",
     (READERS / "check_reviews_reader_e.csv", READERS / "check_reviews_reader_f.csv")),
    ("letters (new writers)", ROOT / "tests" / "data" / "lens_check_letters.csv",
     (READERS / "check_letters_reader_g.csv", READERS / "check_letters_reader_h.csv")),
)
START, END = "<!-- lens_agreement:start -->", "<!-- lens_agreement:end -->"


def agreement(first: Sequence[str], second: Sequence[str]) -> tuple[float, int]:
    """Share of positions where both gave a label and the labels are equal, and how many had both.

    Example:
        >>> agreement(["use", "support", "", "use"], ["use", "use", "support", ""])
        (0.5, 2)
    """
    pairs = [(a, b) for a, b in zip(first, second) if a and b]
    return (sum(a == b for a, b in pairs) / len(pairs) if pairs else float("nan")), len(pairs)


def majority(writer: Sequence[str], reader_a: Sequence[str], reader_b: Sequence[str]) -> list[str]:
    """Per position, the label at least two of the three gave ("" where all three differ or are empty).

    Example:
        >>> majority(["use", "support", "use"], ["use", "use", "loyalty"], ["support", "use", "support"])
        ['use', 'use', '']
    """
    result = []
    for w, a, b in zip(writer, reader_a, reader_b):
        result.append(w if w and w in (a, b) else (a if a and a == b else ""))
    return result


def read_readers(table: pd.DataFrame, paths: Sequence[Path]) -> list[pd.DataFrame]:
    """The readers' label tables in ``table``'s row order; a clear error when one does not line up."""
    readers = []
    for path in paths:
        reader = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(reader["id"].astype(int)) != list(range(1, len(table) + 1)):
            raise SystemExit(f"{path}: ids must be 1..{len(table)} in order, one per sentence of the held-out file")
        readers.append(reader)
    return readers


def report(embedders: Sequence[str]) -> str:
    from workbench.analysis.embedders import get_embedder

    models = {name: get_embedder(name) for name in embedders}
    lines = [f"Machine: {machine()}. Command: `HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/lens_agreement.py`.", "",
             "| file | lens | writer ~ reader 1 | writer ~ reader 2 | reader 1 ~ reader 2 | all three agree | "
             + " | ".join(f"{name} ~ writer | {name} ~ readers (mean) | {name} ~ majority" for name in embedders) + " |",
             "|---|---|---|---|---|---|" + "---|---|---|" * len(embedders)]
    for title, path, reader_paths in SETS:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        first, second = read_readers(table, reader_paths)
        texts = table["sentence"].tolist()
        vectors = {name: model.encode(texts) for name, model in models.items()}
        for lens in LENSES:
            writer, one, two = table[lens].tolist(), first[lens].tolist(), second[lens].tolist()
            together = [w == a == b for w, a, b in zip(writer, one, two) if w and a and b]
            cells = [agreement(writer, one), agreement(writer, two), agreement(one, two)]
            row = (f"| {title} | {lens} | " + " | ".join(f"{acc:.1%} (n={n})" for acc, n in cells)
                   + f" | {sum(together) / len(together):.1%} |")
            for name, model in models.items():
                got = predictions(texts, model, lens, vectors=vectors[name])[0]
                readers_mean = (agreement(one, got)[0] + agreement(two, got)[0]) / 2
                row += (f" **{agreement(writer, got)[0]:.1%}** | {readers_mean:.1%} | "
                        f"{agreement(majority(writer, one, two), got)[0]:.1%} |")
            lines.append(row)
    return "\n".join(lines)


def main() -> None:
    section_main(__doc__.split("\n")[0], report, START, END,
                 "Lens labels: readers against the model (issue 15; `benchmarks/lens_agreement.py`)")


if __name__ == "__main__":
    main()

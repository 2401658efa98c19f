"""Does the lens model do worse on writers it never read, or only on industries it never read?

``benchmarks/lens_accuracy.py`` scores every training sentence out of fold by industry: the model is
fitted without the sentence's industry, but with the rest of its file, so with other sentences by the
same writers. Here each training file (one round of writers) is scored by a model fitted without the
whole file and without every row of its industries, so neither its writers nor its industries are seen.
If the second figure were much lower than the first, the single-sentence gap on the held-out files
would be a matter of new writers; if the two are close, it is not.

The lens model only (MiniLM, no lens reader: the reader learnt from every training file). Prints one
line per file and lens and the totals; writes nothing.

Run from the project root::

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/lens_writer_shift.py [--lenses stage dimension]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def writers_held_out(table: pd.DataFrame, vectors: np.ndarray, embedder, lens_name: str) -> dict[str, tuple[int, int, int]]:  # noqa: ANN001
    """Per training file: (labelled rows, right by industry fold, right with the file's writers and industries out).

    Example:
        >>> from lens_accuracy import read_training  # doctest: +SKIP
        >>> table = read_training()  # doctest: +SKIP
        >>> writers_held_out(table, embedder.encode(table["sentence"].tolist()), embedder, "stage")["lens_training.csv"]  # doctest: +SKIP
        (262, 223, 222)
    """
    from lens_accuracy import out_of_fold, predictions

    from workbench.analysis import lens_examples, lens_model
    from workbench.analysis.lenses import default_lenses

    by_industry = np.array(out_of_fold(table, vectors, embedder, lens_name)[0])
    labels = list(default_lenses()[lens_name].labels)
    examples = [(text, label) for label, texts in lens_examples.EXAMPLES[lens_name].items() for text in texts]
    example_vectors = embedder.encode([text for text, _ in examples])
    gold = table[lens_name].to_numpy()
    industry = table["industry"].str.strip().str.lower()
    result = {}
    for file in table["file"].unique():
        mine = (table["file"] == file).to_numpy()
        train = ~(mine | industry.isin(set(industry[mine])).to_numpy()) & (gold != "")
        model = lens_model.fit_lens_model(table["sentence"][train].tolist() + [text for text, _ in examples],
                                          gold[train].tolist() + [label for _, label in examples],
                                          np.vstack([vectors[train], example_vectors]), labels)
        got, _, _ = predictions(table["sentence"][mine].tolist(), embedder, lens_name, model=model, vectors=vectors[mine],
                                reader=False)
        known = gold[mine] != ""
        result[file] = (int(known.sum()), int((by_industry[mine][known] == gold[mine][known]).sum()),
                        int((np.array(got)[known] == gold[mine][known]).sum()))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lenses", nargs="+", default=["stage", "dimension"], choices=["dimension", "touchpoint", "stage"])
    options = parser.parse_args()
    from lens_accuracy import read_training

    from workbench.analysis.embedders import get_embedder

    table = read_training()
    embedder = get_embedder("minilm")
    vectors = embedder.encode(table["sentence"].tolist())
    for lens_name in options.lenses:
        started = time.time()
        counts = writers_held_out(table, vectors, embedder, lens_name)
        for file, (rows, by_industry, writers_out) in counts.items():
            print(f"{lens_name:9s} {file:30s} n={rows:5d}  industry out {by_industry / rows:.1%}  "
                  f"writers and industries out {writers_out / rows:.1%}")
        rows, by_industry, writers_out = (sum(column) for column in zip(*counts.values()))
        print(f"{lens_name:9s} {'all files':30s} n={rows:5d}  industry out {by_industry / rows:.1%}  "
              f"writers and industries out {writers_out / rows:.1%}  ({time.time() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()

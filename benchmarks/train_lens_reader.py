"""Train the lens reader: all-MiniLM-L6-v2 with low-rank adapters and a dimension and a stage head.

The reader (:mod:`workbench.analysis.lens_reader`) is a second opinion next to the lens model's
regressions on the frozen sentence vector: the same MiniLM, with every attention and feed-forward
projection given a rank-16 adapter (LoRA, ~660,000 numbers), trained on the packaged training
sentences to name a sentence's CX dimension and journey stage. Only the adapters and the heads
are kept (``workbench/analysis/lens_reader.npz``, float16, about 1.3 MB); ``workbench prepare``
merges them into the bundled MiniLM weights and exports the ONNX model.

    python benchmarks/train_lens_reader.py            # train on every training file, write the reader
    python benchmarks/train_lens_reader.py --dev      # train without industry folds 8-9, score them
    python benchmarks/train_lens_reader.py --fixture  # train without the fixture's industries, score the fixture

``--dev`` is how the reader's weights in the score were chosen: the reader is trained without two
of the ten industry folds, and those folds are scored by the lens model fitted without them, alone
and with the reader's probabilities added at several weights. Four epochs take about 36 minutes on
two cores (~2,950 steps of 32 texts). The seed is fixed; torch's CPU kernels make a rerun
agree to a few units in the last float16 place, not bit for bit.

``--fixture`` scores the labelled fixture (``tests/data/lens_fixture.csv``, the rows of
``lens_training.csv``) wholly out of sample: the reader and the lens model are trained without every
row of the fixture's nine industries (the fixture itself and the rows of other files that name one of
them), then the fixture is scored. Nothing is written.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from workbench.analysis import lens_reader  # noqa: E402

DEV_FOLDS = (8, 9)
BATCH = 32
ADAPTER_RATE = 5e-4
HEAD_RATE = 1e-3
WARMUP_SHARE = 0.06
SEED = 0
#: Three epochs beat two, and four beat three, on industry folds 8-9 (BENCHMARKS.md, "Reader: a third epoch",
#: "Reader: a fourth epoch").
EPOCHS = 4


FIXTURE_FILE = "lens_training.csv"
#: Training files written after the dev folds were fixed (see :func:`_dev_folds`).
LATER_FILES = ("lens_training_round17.csv",)


def _dev_folds(table) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """(rows scored, rows left out of training) of ``--dev``.

    The ten industry folds are cut on the files that existed when the folds were first used
    (every file but :data:`LATER_FILES`), so that a later training round does not move the scored
    rows: folds 8-9 are scored (4,272 stage and 4,183 dimension rows); a later file's rows of their
    industries are left out, its other rows trained on.
    """
    from sklearn.model_selection import GroupKFold

    industries = table["industry"].str.strip().str.lower()
    later = table["file"].isin(LATER_FILES).to_numpy()
    fold = np.full(len(table), -1)
    earlier = np.flatnonzero(~later)
    for number, (_, held) in enumerate(GroupKFold(n_splits=10).split(earlier, groups=industries.iloc[earlier])):
        fold[earlier[held]] = number
    scored = np.isin(fold, DEV_FOLDS)
    return scored, scored | (later & industries.isin(set(industries[scored])).to_numpy())


def _held_back(table, mode: str) -> np.ndarray:  # noqa: ANN001
    """Rows kept out of training: the dev folds and a later file's rows of their industries (``dev``),
    the fixture's industries (``fixture``), none (``all``)."""
    if mode == "dev":
        return _dev_folds(table)[1]
    if mode == "fixture":
        industries = table["industry"].str.strip().str.lower()
        return industries.isin(set(industries[table["file"] == FIXTURE_FILE])).to_numpy()
    return np.zeros(len(table), dtype=bool)


def _training_table(mode: str):  # noqa: ANN202
    """(training rows, every row) of ``read_training`` (10 industry folds), without the rows ``mode`` holds back."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from lens_accuracy import read_training

    table = read_training()
    return table[~_held_back(table, mode)], table


def _teacher_targets(path: Path | None, temperature: float, rows: int | None = None) -> dict | None:
    """A teacher's probabilities (npz from ``benchmarks/lens_teacher.py``: one ``(rows, labels)`` array per
    reader lens, rows in ``read_training`` order, columns in ``reader_labels`` order), softened by ``temperature``.

    A teacher of other training files (its ``training_digest`` or its row count differs) is refused.

    Example:
        >>> _teacher_targets(None, 2.0) is None
        True
    """
    if path is None:
        return None
    stored = np.load(path)
    count = len(stored[lens_reader.READER_LENSES[0]])
    if ("training_digest" in stored and str(stored["training_digest"]) != lens_reader.training_digest()) or (
            rows is not None and count != rows):
        sys.exit(f"{path} was trained on other training files ({count} rows): run `python benchmarks/lens_teacher.py` again")
    softened = {}
    for lens in lens_reader.READER_LENSES:
        logits = np.log(np.clip(stored[lens].astype(np.float64), 1e-8, 1.0)) / temperature
        logits -= logits.max(axis=1, keepdims=True)
        softened[lens] = (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)).astype(np.float32)
    return softened


def update(loss, optimiser, schedule, parameters: list) -> None:  # noqa: ANN001
    """One training step: the gradients of ``loss``, clipped to norm 1, then the optimiser's and the schedule's step.

    Example:
        >>> update(loss, optimiser, schedule, adapters)  # doctest: +SKIP
    """
    import torch

    optimiser.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(parameters, 1.0)
    optimiser.step()
    schedule.step()


def train(mode: str, epochs: int, teacher: Path | None = None, teacher_share: float = 0.0,
          temperature: float = 2.0) -> dict:
    """Train the adapters and heads; return their arrays (float32) and what was done.

    With ``teacher`` (see :func:`_teacher_targets`), a labelled text's loss is
    ``(1 - teacher_share)`` × cross-entropy on its label + ``teacher_share`` × T² × KL(teacher ‖ reader at T).
    """
    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    torch.manual_seed(SEED)
    train_rows, _ = _training_table(mode)
    labels = lens_reader.reader_labels()
    encoder = lens_reader.adapted_encoder()
    heads = torch.nn.ModuleDict({lens: torch.nn.Linear(lens_reader.HIDDEN, len(labels[lens])) for lens in lens_reader.READER_LENSES})
    tokenizer = lens_reader.torch_tokenizer()
    adapters = [p for p in encoder.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW([{"params": adapters, "lr": ADAPTER_RATE}, {"params": heads.parameters(), "lr": HEAD_RATE}],
                                  weight_decay=0.01)
    steps = epochs * math.ceil(len(train_rows) / BATCH)
    warm = max(1, int(WARMUP_SHARE * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / (steps - warm)))
    loss_of = torch.nn.CrossEntropyLoss(ignore_index=-100)
    soft = _teacher_targets(teacher, temperature, rows=len(_training_table("all")[1]))

    def lens_loss(lens: str, logits, rows):  # noqa: ANN001, ANN202
        target = torch.tensor([labels[lens].index(v) if v in labels[lens] else -100 for v in rows[lens]])
        hard = loss_of(logits, target)
        if soft is None:
            return hard
        known = target >= 0
        if not bool(known.any()):
            return hard
        wanted = torch.from_numpy(soft[lens][rows.index.to_numpy()])[known]
        student = torch.log_softmax(logits[known] / temperature, dim=-1)
        distilled = torch.nn.functional.kl_div(student, wanted, reduction="batchmean") * temperature ** 2
        return (1 - teacher_share) * hard + teacher_share * distilled

    rng = np.random.default_rng(SEED)
    started, step = time.time(), 0
    encoder.train()
    for epoch in range(epochs):
        order = rng.permutation(len(train_rows))
        for start in range(0, len(order), BATCH):
            rows = train_rows.iloc[order[start:start + BATCH]]
            pooled = lens_reader.mean_pooled(encoder, tokenizer, rows["sentence"].tolist())
            loss = sum(lens_loss(lens, heads[lens](pooled), rows) for lens in lens_reader.READER_LENSES)
            update(loss, optimiser, schedule, adapters + list(heads.parameters()))
            step += 1
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} {time.time() - started:.0f} s", flush=True)
    encoder.eval()
    arrays = lens_reader.adapter_arrays(encoder)
    for lens in lens_reader.READER_LENSES:
        arrays[f"head.{lens}.weight"] = heads[lens].weight.detach().numpy()
        arrays[f"head.{lens}.bias"] = heads[lens].bias.detach().numpy()
    return {"arrays": arrays, "rows": len(train_rows), "steps": steps, "seconds": round(time.time() - started)}


def held_back_report(arrays: dict, mode: str) -> None:
    """Score the held-back rows (``mode``: ``dev`` or ``fixture``): the lens model fitted without them
    alone, the reader alone, and both at several weights (``READER_WEIGHT`` is what ships: 3 for dimension, 4 for stage).

    Example:
        >>> held_back_report(train("fixture", epochs=EPOCHS)["arrays"], "fixture")  # doctest: +SKIP
        dimension (n=267): lens model 88.0%, reader alone 80.1%, both with the reader weighted +1: 86.9% ...
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from lens_accuracy import predictions

    from workbench.analysis import lens_examples, lens_model
    from workbench.analysis.embedders import get_embedder
    from workbench.analysis.lenses import default_lenses

    _, table = _training_table(mode)
    embedder = get_embedder("minilm")
    vectors = lens_model._training_vectors(table["sentence"].tolist(), embedder, str(embedder.model_id))
    held = _held_back(table, mode)
    scored = held & (table["file"] == FIXTURE_FILE).to_numpy() if mode == "fixture" else _dev_folds(table)[0]
    reader = lens_reader.torch_reader(arrays)
    probabilities = reader(table["sentence"][scored].tolist())
    for lens_name in ("dimension", "touchpoint", "stage"):  # touchpoint: the lens model alone (no reader head)
        lens = default_lenses()[lens_name]
        labels = list(lens.labels)
        examples = [(text, label) for label, texts in lens_examples.EXAMPLES[lens_name].items() for text in texts]
        train = ~held & (table[lens_name] != "").to_numpy()
        model = lens_model.fit_lens_model(
            table["sentence"][train].tolist() + [t for t, _ in examples], table[lens_name][train].tolist() + [y for _, y in examples],
            np.vstack([vectors[train], embedder.encode([t for t, _ in examples])]), labels)
        _, _, scores = predictions(table["sentence"][scored].tolist(), embedder, lens_name, model=model, vectors=vectors[scored],
                                   reader=False)
        gold = table[lens_name][scored].to_numpy()
        known = gold != ""
        reader_part = (lens_reader.columns_for(probabilities[lens_name], lens_name, labels) if lens_name in probabilities
                       else np.zeros_like(scores.scores))

        def accuracy(matrix: np.ndarray) -> float:
            return float((np.array(labels)[matrix.argmax(axis=1)][known] == gold[known]).mean())

        grid = " ".join(f"+{w}: {accuracy(scores.scores + w * reader_part):.1%}" for w in (1, 2, 3, 4, 6))
        print(f"{lens_name} (n={known.sum()}): lens model {accuracy(scores.scores):.1%}, reader alone "
              f"{accuracy(reader_part):.1%}, both with the reader weighted {grid}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    held = parser.add_mutually_exclusive_group()
    held.add_argument("--dev", action="store_true", help="train without industry folds 8-9 and score them")
    held.add_argument("--fixture", action="store_true", help="train without the fixture's industries and score the fixture")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--teacher", type=Path, help="a teacher's probabilities to distil (npz; see _teacher_targets)")
    parser.add_argument("--teacher-share", type=float, default=0.5)
    parser.add_argument("--temperature", type=float, default=2.0)
    parser.add_argument("--save", type=Path, help="with --dev or --fixture: also write the trained arrays here (npz)")
    options = parser.parse_args()
    mode = "dev" if options.dev else "fixture" if options.fixture else "all"
    result = train(mode, options.epochs, options.teacher, options.teacher_share if options.teacher else 0.0, options.temperature)
    if mode != "all":
        if options.save:
            np.savez_compressed(options.save, **result["arrays"])
        held_back_report(result["arrays"], mode)
        return
    digest = lens_reader.training_digest()
    np.savez_compressed(lens_reader.READER_FILE, **{k: v.astype(np.float16) for k, v in result["arrays"].items()})
    info = {"training_digest": digest, "rows": result["rows"], "epochs": options.epochs, "steps": result["steps"],
            "batch": BATCH, "adapter_rate": ADAPTER_RATE, "head_rate": HEAD_RATE, "rank": lens_reader.RANK,
            "alpha": lens_reader.ALPHA, "seed": SEED, "labels": lens_reader.reader_labels(),
            "seconds": result["seconds"], "weights_sha256": hashlib.sha256(lens_reader.READER_FILE.read_bytes()).hexdigest()}
    lens_reader.READER_INFO.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {lens_reader.READER_FILE} ({lens_reader.READER_FILE.stat().st_size:,} bytes) and {lens_reader.READER_INFO}")


if __name__ == "__main__":
    main()

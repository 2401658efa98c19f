"""Quality benchmark of the pain-point model: BERTopic's defaults vs ``PainPointModel``.

Both fit the same precomputed all-MiniLM-L6-v2 embeddings (BERTopic's own default model),
one after the other in one process, so the comparison is about clustering only. Measured:
NMI and ARI against the known themes (outliers count as their own cluster -1 in both
systems, as BERTopic users see them), the share of units left in -1 / Other, the number of
topics and the wall time of each fit (embedding excluded; numba JIT is warmed up first).

Corpora:

* CLINC150 test split (``/work/shared/bench-data/clinc150/test.csv``; CC BY 3.0, Larson et
  al., EMNLP-IJCNLP 2019): short customer requests, 150 intents.
* The sample study ``interview_data/`` (customer turns and feedback items against
  ``answer_key.csv``), when present and readable.

Run from the project root::

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/quality.py           # 3 seeds
    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/quality.py --quick   # 1 seed

Writes ``benchmarks/results/quality.md`` (and prints it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

CLINC = Path(os.environ.get("CLINC150_DIR", "/work/shared/bench-data/clinc150"))
STUDY = ROOT / "interview_data"
RESULTS = ROOT / "benchmarks" / "results" / "quality.md"
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/cx-workbench-bench-cache"))
SEEDS = (42, 1, 7)
TARGET_NMI, TARGET_ARI, TARGET_OTHER, TARGET_TIME = 0.03, 0.15, 0.05, 1.5


def embed(texts: list[str], embedder_name: str = "minilm") -> np.ndarray:
    """Embeddings of ``texts`` (default MiniLM), cached in a .npy keyed by the model id and the texts' hash."""
    from workbench.analysis.embedders import get_embedder

    embedder = get_embedder(embedder_name)
    digest = hashlib.sha256(("\x1e".join(texts) + "\x1f" + embedder.model_id).encode()).hexdigest()[:16]
    path = CACHE / f"{embedder_name}-{digest}.npy"
    if path.exists():
        return np.load(path)
    from workbench.analysis.embed import embed_texts

    started = time.perf_counter()
    vectors = embed_texts(texts, embedder, progress=False)
    print(f"  embedded {len(texts)} texts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def load_clinc() -> tuple[list[str], np.ndarray]:
    frame = pd.read_csv(CLINC / "test.csv")
    return frame["text"].astype(str).tolist(), frame["intent"].astype(str).to_numpy()


def load_study() -> tuple[list[str], np.ndarray] | str:
    """Customer units of the sample study and their answer-key themes, or why not."""
    key_path = STUDY / "answer_key.csv"
    if not key_path.exists():
        return f"{key_path} not found"
    try:
        from workbench.ingest.study import read_study

        segments = read_study(STUDY).segments
    except Exception as error:  # the study or ingest may be unfinished: skip, say why
        return f"could not read the study: {type(error).__name__}: {error}"
    key = pd.read_csv(key_path, dtype=str)
    units = segments[segments["role"] == "customer"].copy()
    units["key"] = np.where(
        units["source_kind"] == "interview", units["turn"].astype(str), units["item_id"].astype(str)
    )
    joined = units.merge(key, on=["source_id", "key"], how="left")
    missing = int(joined["theme"].isna().sum())
    if missing:
        print(f"  note: {missing} study units have no answer-key row; left out", file=sys.stderr)
        joined = joined[joined["theme"].notna()]
    if joined.empty:
        return "no customer unit matched the answer key"
    return joined["text_redacted"].fillna("").astype(str).tolist(), joined["theme"].to_numpy()


def fit_defaults(texts: list[str], vectors: np.ndarray) -> tuple[np.ndarray, float]:
    from bertopic import BERTopic

    started = time.perf_counter()
    topics, _ = BERTopic().fit_transform(texts, embeddings=vectors)
    return np.asarray(topics), time.perf_counter() - started


def fit_ours(texts: list[str], vectors: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    from workbench.analysis.painpoints import PainPointModel

    started = time.perf_counter()
    model = PainPointModel(random_state=seed).fit(texts, vectors)
    return model.labels_, time.perf_counter() - started


def warm_up(vectors: np.ndarray) -> None:
    """Compile numba code (UMAP, pynndescent) for both the parallel and the seeded path."""
    from umap import UMAP

    sample = vectors[: min(len(vectors), 4200)]
    for seed in (None, 0):
        UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", n_epochs=5, random_state=seed).fit(sample)


def score(truth: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {
        "nmi": normalized_mutual_info_score(truth, labels),
        "ari": adjusted_rand_score(truth, labels),
        "other": float((labels == -1).mean()),
        "topics": int(len(set(labels.tolist()) - {-1})),
    }


def run_corpus(name: str, texts: list[str], truth: np.ndarray, seeds: tuple[int, ...]) -> pd.DataFrame:
    vectors = embed(texts)
    rows = []
    for run, seed in enumerate(seeds, start=1):
        # Back to back, alternating which goes first, so load on the machine hits both alike.
        order = ("defaults", "ours") if run % 2 else ("ours", "defaults")
        for system in order:
            if system == "defaults":
                labels, seconds = fit_defaults(texts, vectors)
                seed_text = f"run {run} (no seed)"
            else:
                labels, seconds = fit_ours(texts, vectors, seed)
                seed_text = f"seed {seed}"
            rows.append({"corpus": name, "system": system, "run": run, "seed": seed_text, **score(truth, labels), "fit_s": seconds})
            print(f"  {name} {system} {seed_text}: " + ", ".join(f"{k}={v:.3f}" for k, v in rows[-1].items() if isinstance(v, float)), file=sys.stderr)
    return pd.DataFrame(rows)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import bertopic

    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}), "
        f"{model}, Python {platform.python_version()}, BERTopic {bertopic.__version__}, "
        f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}"
    )


def to_markdown(results: pd.DataFrame) -> str:
    lines = ["| corpus | system | run | NMI | ARI | Other / -1 | topics | fit time (s) |", "|---|---|---|---|---|---|---|---|"]
    for row in results.itertuples():
        lines.append(
            f"| {row.corpus} | {'BERTopic defaults' if row.system == 'defaults' else 'PainPointModel'} | {row.seed} "
            f"| {row.nmi:.3f} | {row.ari:.3f} | {row.other:.1%} | {row.topics} | {row.fit_s:.1f} |"
        )
    return "\n".join(lines)


def summary(results: pd.DataFrame, corpus: str, with_targets: bool) -> list[str]:
    part = results[results["corpus"] == corpus]
    mean = part.groupby("system")[["nmi", "ari", "other", "topics", "fit_s"]].mean()
    d, o = mean.loc["defaults"], mean.loc["ours"]
    lines = [
        f"**{corpus}, mean of {part['run'].nunique()} run(s)**: defaults NMI {d.nmi:.3f} / ARI {d.ari:.3f} / "
        f"-1 {d.other:.1%} / {d.topics:.0f} topics / {d.fit_s:.1f} s; ours NMI {o.nmi:.3f} / ARI {o.ari:.3f} / "
        f"Other {o.other:.1%} / {o.topics:.0f} pain points / {o.fit_s:.1f} s. "
        f"Difference NMI {o.nmi - d.nmi:+.3f}, ARI {o.ari - d.ari:+.3f}, time x{o.fit_s / d.fit_s:.2f}."
    ]
    if with_targets:
        ours = part[part["system"] == "ours"].set_index("run")
        defaults = part[part["system"] == "defaults"].set_index("run")
        per_run_nmi = (ours["nmi"] - defaults["nmi"]).min()
        per_run_ari = (ours["ari"] - defaults["ari"]).min()
        checks = [
            (f"NMI >= defaults + {TARGET_NMI}", o.nmi - d.nmi >= TARGET_NMI, f"mean {o.nmi - d.nmi:+.3f}, worst run {per_run_nmi:+.3f}"),
            (f"ARI >= defaults + {TARGET_ARI}", o.ari - d.ari >= TARGET_ARI, f"mean {o.ari - d.ari:+.3f}, worst run {per_run_ari:+.3f}"),
            (f"Other <= {TARGET_OTHER:.0%}", ours["other"].max() <= TARGET_OTHER, f"max {ours['other'].max():.1%}"),
            (f"fit time <= {TARGET_TIME}x defaults", o.fit_s <= TARGET_TIME * d.fit_s, f"x{o.fit_s / d.fit_s:.2f} (means)"),
        ]
        lines.append("")
        lines += [f"- {'PASS' if ok else 'MISS'}: {what} ({detail})" for what, ok, detail in checks]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one seed instead of three")
    parser.add_argument("--no-study", action="store_true", help="skip the sample study")
    args = parser.parse_args()
    seeds = SEEDS[:1] if args.quick else SEEDS
    warnings.filterwarnings("ignore")

    texts, truth = load_clinc()
    print(f"CLINC150 test: {len(texts)} requests, {len(set(truth))} intents", file=sys.stderr)
    vectors = embed(texts)
    print("  warming up numba (not timed)…", file=sys.stderr)
    warm_up(vectors)
    results = [run_corpus("CLINC150 test", texts, truth, seeds)]

    study_note = "skipped (--no-study)"
    if not args.no_study:
        study = load_study()
        if isinstance(study, str):
            study_note = f"skipped: {study}"
            print(f"sample study {study_note}", file=sys.stderr)
        else:
            study_texts, study_truth = study
            study_note = f"{len(study_texts)} customer units, {len(set(study_truth))} answer-key themes"
            print(f"sample study: {study_note}", file=sys.stderr)
            results.append(run_corpus("sample study", study_texts, study_truth, seeds))
    table = pd.concat(results, ignore_index=True)

    report = [
        "# Pain-point model quality",
        "",
        f"Machine: {machine()}. Command: `python benchmarks/quality.py{' --quick' if args.quick else ''}`.",
        "",
        "Both systems cluster the same all-MiniLM-L6-v2 embeddings (normalised) in one process, back to back; "
        "fit time excludes embedding and numba compilation. BERTopic defaults = `BERTopic().fit_transform(texts, "
        "embeddings=...)` (its UMAP has no seed, so each run differs and runs multi-threaded); PainPointModel = "
        "`PainPointModel(random_state=seed)` with its automatic settings. NMI / ARI against the known themes with "
        "outliers (-1 / Other) counted as one more cluster.",
        "",
        to_markdown(table),
        "",
        *summary(table, "CLINC150 test", with_targets=True),
        "",
    ]
    if (table["corpus"] == "sample study").any():
        report += [*summary(table, "sample study", with_targets=False), ""]
    report += [
        f"Sample study: {study_note}.",
        "",
        "Data: CLINC150 (in-scope test queries) from clinc/oos-eval, Creative Commons Attribution 3.0; "
        "Larson et al., \"An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction\", "
        "EMNLP-IJCNLP 2019. The sample study is the workbench's fictional Skylark Travel study.",
        "",
    ]
    text = "\n".join(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()

"""The model as a coder on the sample study: pain points vs the human-made answer key, per theme.

The sample study ``interview_data/`` ships ``answer_key.csv``: one theme per interview turn and
feedback item, assigned by the people who wrote the study. Here it is the **human coder**
(``answer-key``): every customer passage gets its turn's theme as its code, and the theme
``other`` means "seen, no code applies". The **model coder** is the analysis' pain points
(``model:painpoints``, :mod:`workbench.rigour.model_coder`), mapped to the themes by best overlap.

Two figures per embedder:

* **fitted mapping**: the best-overlap mapping learned on all passages and scored on the same
  passages (what notebook 02 and ``workbench agreement`` show; a little optimistic);
* **cross-fitted mapping**: the sources split in two halves by a hash of their name; each
  half is scored with the mapping learned on the other half (passed as an explicit mapping),
  and the two halves' tables are pooled. Nothing scored was used to choose the mapping.

Run from the project root::

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/model_coder.py                     # minilm and static
    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/model_coder.py --embedders static  # fast
    ... --keep /tmp/model-coder-bench [--reuse]   # keep the analyses (and reuse them: scoring only)

Writes ``benchmarks/results/model_coder.md`` (and prints it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

STUDY = ROOT / "interview_data"
RESULTS = ROOT / "benchmarks" / "results" / "model_coder.md"
HUMAN = "answer-key"
NO_CODE_THEMES = ("other", "interviewer")
SEED = 42


def analyse(embedder: str, workdir: Path, reuse: bool = False) -> Path:
    """``workbench analyze`` of a copy of the sample study; returns its results folder."""
    from workbench.study import run_analyze

    study = workdir / "interview_data"
    if not study.exists():
        shutil.copytree(STUDY, study, ignore=shutil.ignore_patterns(".workbench"))
    out = workdir / f"results-{embedder}"
    if reuse and (out / "manifest.json").is_file():
        print(f"  reusing the {embedder} analysis in {out}", file=sys.stderr)
        return out
    started = time.perf_counter()
    run_analyze(study, out, embedder=embedder, seed=SEED, progress=False)
    print(f"  analysed with {embedder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return out


def answer_key_codings(passages: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """The answer key as a coder's assignments: each passage coded with its turn's (or item's) theme."""
    key = pd.read_csv(STUDY / "answer_key.csv", dtype=str)
    units = passages[["passage_id", "segment_id"]].merge(
        segments[["segment_id", "source_id", "source_kind", "turn", "item_id"]], on="segment_id", how="left")
    turn = pd.to_numeric(units["turn"], errors="coerce").astype("Int64").astype(str)
    units["key"] = np.where(units["source_kind"] == "interview", turn, units["item_id"].astype(str))
    joined = units.merge(key, on=["source_id", "key"], how="left")
    missing = int(joined["theme"].isna().sum())
    if missing:
        print(f"  note: {missing} passages have no answer-key row; left out", file=sys.stderr)
    joined = joined.dropna(subset=["theme"])
    code = joined["theme"].where(~joined["theme"].isin(NO_CODE_THEMES), None)
    return pd.DataFrame({"coder": HUMAN, "passage_id": joined["passage_id"].astype(str), "code_id": code,
                         "source_id": joined["source_id"]})


def theme_codebook(codings: pd.DataFrame):
    from workbench.coding.codebook import Code, Codebook

    themes = sorted(codings["code_id"].dropna().unique())
    return Codebook([Code(t, t.replace("_", " ")) for t in themes], name="Answer-key themes")


def half_of(source_id: str) -> int:
    return int(hashlib.sha256(source_id.encode()).hexdigest(), 16) % 2


def cross_fitted(codings: pd.DataFrame, assignments: pd.DataFrame, painpoints: pd.DataFrame, codebook, passages):
    """Score each half of the sources with the mapping learned on the other half; pool the two tables."""
    from workbench.rigour.agreement import kappa_by_code, krippendorff_alpha
    from workbench.rigour.code_mapping import map_model_codes
    from workbench.rigour.model_coder import model_vs_human
    from workbench.rigour.model_codes import model_codes

    halves = codings["source_id"].map(half_of)
    rows = model_codes(assignments, painpoints, codebook)
    tables, differing = [], 0
    for half in (0, 1):
        train = codings[halves != half]
        test = codings[halves == half]
        learned = map_model_codes(rows[rows["passage_id"].isin(set(train["passage_id"]))], train, codebook)
        mapping = {m: c for m, c in zip(learned["model_code"], learned["code_id"])}
        # pain points never seen in the training half map to no code (nothing to learn them from)
        mapping.update({m: None for m in set(rows["model_code"]) - set(mapping)})
        report = model_vs_human(test.drop(columns="source_id"), assignments, painpoints, codebook, passages,
                                mapping=mapping, auto_map=False)
        tables.append(report.table)
        differing += len(report.disagreements)
    pooled = pd.concat(tables, ignore_index=True)
    kappas = kappa_by_code(pooled, coders=(HUMAN, "model:painpoints"), codebook=codebook).set_index("code_id")["kappa"]
    return kappas, krippendorff_alpha(pooled), differing


def run(embedder: str, workdir: Path, reuse: bool = False) -> dict:
    from workbench.coding.coding_data import load_coding_data
    from workbench.rigour.model_coder import model_vs_human

    results = analyse(embedder, workdir, reuse)
    data = load_coding_data(results)
    codings = answer_key_codings(data.passages, data.segments)
    codebook = theme_codebook(codings)
    report = model_vs_human(codings.drop(columns="source_id"), data.assignments, data.painpoints, codebook,
                            data.passages, coder=HUMAN)
    print(report.summary(), file=sys.stderr)
    cross_kappa, cross_alpha, cross_differ = cross_fitted(codings, data.assignments, data.painpoints, codebook, data.passages)
    by_code = report.by_code.set_index("code_id")
    by_code["kappa_cross"] = cross_kappa.reindex(by_code.index)
    return {"embedder": embedder, "report": report, "by_code": by_code, "cross_alpha": cross_alpha,
            "cross_differ": cross_differ, "n_painpoints": int((data.painpoints["painpoint_id"] != "other").sum())}


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}"


def to_markdown(runs: list[dict], command: str) -> str:
    lines = [
        "# The model as a coder: pain points vs the answer key",
        "",
        f"Machine: {machine()}. Command: `{command}`.",
        "",
        "Human coder: the sample study's `answer_key.csv` (one theme per customer turn / feedback item, made by the "
        "study's authors; `other` = no code), applied to every passage of its turn. Model coder: the pain points of "
        f"`workbench analyze` (seed {SEED}), each mapped to the theme it overlaps most (`workbench.rigour.model_coder`). "
        "Kappa is Cohen's, per theme, over all passages; alpha is Krippendorff's (nominal) over every "
        "(passage, theme) decision. *Fitted*: mapping learned and scored on all passages (what notebook 02 shows). "
        "*Cross-fitted*: sources split in two halves, each scored with the mapping learned on the other.",
        "",
    ]
    for run in runs:
        report, by_code = run["report"], run["by_code"]
        lines += [
            f"## {run['embedder']}",
            "",
            f"{report.n_units} passages, {run['n_painpoints']} pain points; fitted: alpha **{report.alpha:.3f}**, "
            f"same theme on {report.agreement:.1%} of passages, {len(report.disagreements)} passages to review; "
            f"cross-fitted: alpha **{run['cross_alpha']:.3f}**, {run['cross_differ']} passages to review.",
            "",
            "| theme | prevalence | kappa (fitted) | kappa (cross-fitted) | precision | recall | Landis & Koch | hint |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for code_id, row in by_code.iterrows():
            lines.append(
                f"| {code_id} | {row['prevalence']:.1%} | {row['kappa']:.3f} | {row['kappa_cross']:.3f} "
                f"| {row['precision']:.2f} | {row['recall']:.2f} | {row['verdict']} | {row['advice']} |"
            )
        mapping = report.mapping
        lines += ["", "Fitted mapping (pain point → theme, share of its passages with that theme): " + "; ".join(
            f"{m.model_code} {m.label!r} → no code" if pd.isna(m.code_id) else
            f"{m.model_code} {m.label!r} → {m.code_id} ({m.overlap:.0%})" for m in mapping.itertuples()) + ".", ""]
    lines += [
        "A kappa of 0.000 with precision `nan` means no pain point maps to that theme: the model never applies it "
        "(the theme is split across pain points or merged into a bigger one). Precision: of the passages the model "
        "gave a theme, the share the key gives it too; recall: of the key's passages with a theme, the share the "
        "model found. One analysis per embedder (seed 42); the study's answer key stands in for a human coder.",
        "",
        "The sample study is the workbench's fictional Skylark Travel study.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedders", nargs="+", default=["minilm", "static"], choices=["minilm", "static"])
    parser.add_argument("--keep", type=Path, default=None, help="analyse into this folder (kept) instead of a temporary one")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse an analysis already there")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if not (STUDY / "answer_key.csv").is_file():
        sys.exit(f"{STUDY / 'answer_key.csv'} not found: the benchmark needs the sample study's answer key")
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        runs = [run(embedder, args.keep, reuse=args.reuse) for embedder in args.embedders]
    else:
        with tempfile.TemporaryDirectory(prefix="model-coder-bench-") as folder:
            runs = [run(embedder, Path(folder)) for embedder in args.embedders]
    command = "python benchmarks/model_coder.py" + ("" if args.embedders == ["minilm", "static"] else
                                                    " --embedders " + " ".join(args.embedders))
    text = to_markdown(runs, command)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
